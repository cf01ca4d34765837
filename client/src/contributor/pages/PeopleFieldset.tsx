// The narrators or the interviewers of an interview in the editor: one name field per person, add and remove.
import { Field } from '../components/Field.js';
import type { FieldErrors } from '../lib/fieldErrors.js';
import type { PersonRow } from '../lib/interviewForm.js';
import { inputIdFor } from '../lib/interviewFields.js';
import { useCt } from '../i18n/index.js';
import type { PersonRole } from '../types.js';

interface Props {
  role: PersonRole;
  people: PersonRow[];
  errors: FieldErrors;
  onName: (key: string, name: string) => void;
  onAdd: (role: PersonRole) => void;
  onRemove: (row: PersonRow) => void;
}

export function PeopleFieldset({ role, people, errors, onName, onAdd, onRemove }: Props) {
  const { ct } = useCt();
  const err = (key: string) => errors[key];
  // the row's index in the whole list names its API field (people.<index>.name)
  const rows = people.map((row, index) => ({ row, index })).filter(({ row }) => row.role === role);
  return (
    <fieldset className="sb-c-fieldset" aria-describedby={err('people') ? 'sb-c-f-people-error' : undefined}>
      <legend>{ct(role === 'narrator' ? 'form.fields.people' : 'form.interviewers')}</legend>
      {role === 'narrator' && err('people') && (
        <p id="sb-c-f-people-error" className="sb-c-field-error">
          {err('people')!.join(' ')}
        </p>
      )}
      {rows.length === 0 && <p className="sb-c-hint">{ct('form.noPeople')}</p>}
      {rows.map(({ row, index }, n) => (
        <div key={row.key} className="sb-c-person-row">
          <Field
            id={inputIdFor(`people.${index}.name`)}
            label={ct(role === 'narrator' ? 'form.narratorName' : 'form.interviewerName', { n: n + 1 })}
            errors={err(`people.${index}.name`)}
          >
            {(a) => (
              <input
                {...a}
                type="text"
                autoComplete="off"
                value={row.name}
                onChange={(e) => onName(row.key, e.target.value)}
              />
            )}
          </Field>
          <button
            type="button"
            className="sb-c-button sb-c-quiet"
            onClick={() => onRemove(row)}
            aria-label={ct('form.removePerson', { name: row.name.trim() || ct('form.emptyRow', { n: n + 1 }) })}
          >
            {ct('form.remove')}
          </button>
        </div>
      ))}
      <button type="button" id={`sb-c-add-${role}`} className="sb-c-button" onClick={() => onAdd(role)}>
        {ct(role === 'narrator' ? 'form.addNarrator' : 'form.addInterviewer')}
      </button>
    </fieldset>
  );
}
