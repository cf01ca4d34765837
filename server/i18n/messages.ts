// The one catalog of texts the server sends to people (problem titles and details, field errors, status hints), German
// first, English second. A text names its parameters as `{name}`; `msg` checks them at compile time. Machine words
// (log lines, CLI output, engine errors) stay English and are not here.
import type { Locale } from '../http/locale.js';

/** A text in both languages; the response picks one by the reader's locale. */
export interface Text {
  de: string;
  en: string;
}

export const messages = {
  // problem titles, one per problem type (server/http/problem.ts)
  'problem.validation': { de: 'Die Eingaben sind ungültig.', en: 'The input is invalid.' },
  'problem.bad-request': { de: 'Die Anfrage ist fehlerhaft.', en: 'The request is malformed.' },
  'problem.unauthenticated': { de: 'Bitte melden Sie sich an.', en: 'Please log in.' },
  'problem.invalid-credentials': { de: 'E-Mail oder Passwort ist falsch.', en: 'E-mail or password is wrong.' },
  'problem.review-link': {
    de: 'Dieser Zugang zur Durchsicht gilt nicht (mehr).',
    en: 'This review link is not valid (any more).',
  },
  'problem.consent-required': {
    de: 'Dafür fehlt eine passende Einverständniserklärung.',
    en: 'A matching consent record is missing.',
  },
  'problem.forbidden': { de: 'Dafür fehlt Ihnen die Berechtigung.', en: 'You are not allowed to do this.' },
  'problem.csrf': {
    de: 'Sicherheitstoken fehlt oder ist ungültig (X-CSRF-Token).',
    en: 'CSRF token missing or invalid (X-CSRF-Token).',
  },
  'problem.not-found': { de: 'Nicht gefunden.', en: 'Not found.' },
  'problem.method-not-allowed': { de: 'Diese Methode ist hier nicht erlaubt.', en: 'Method not allowed.' },
  'problem.conflict': { de: 'Konflikt mit dem aktuellen Stand.', en: 'Conflict with the current state.' },
  'problem.precondition-failed': {
    de: 'Der Datensatz wurde inzwischen geändert.',
    en: 'The record was changed in the meantime.',
  },
  'problem.payload-too-large': { de: 'Die Anfrage ist zu groß.', en: 'The request is too large.' },
  'problem.unsupported-media-type': { de: 'Dieses Format wird nicht angenommen.', en: 'Unsupported media type.' },
  'problem.unprocessable': { de: 'Die Datei kann nicht verarbeitet werden.', en: 'The file cannot be processed.' },
  'problem.rate-limited': { de: 'Zu viele Versuche. Bitte warten Sie kurz.', en: 'Too many attempts. Please wait.' },
  'problem.internal': { de: 'Interner Fehler.', en: 'Internal error.' },
  'problem.search-unavailable': { de: 'Die Suche ist gerade nicht verfügbar.', en: 'Search is unavailable right now.' },
  'problem.unavailable': { de: 'Der Dienst ist gerade nicht verfügbar.', en: 'Service unavailable.' },
  'problem.store-unavailable': {
    de: 'Die Datenbank ist gerade nicht erreichbar.',
    en: 'The database is unreachable right now.',
  },
  'problem.upload-offset-mismatch': {
    de: 'Der Upload steht an einer anderen Stelle.',
    en: 'The upload is at a different offset.',
  },
  'problem.public-url-required': { de: 'PUBLIC_URL ist nicht gesetzt.', en: 'PUBLIC_URL is not set.' },
  'problem.storage-full': { de: 'Der Medienspeicher ist voll.', en: 'The media store is full.' },
  'problem.storage-read-only': { de: 'Der Medienspeicher ist schreibgeschützt.', en: 'The media store is read-only.' },

  // http
  'http.storageFull': {
    de: 'Auf dem Medienspeicher ist kein Platz mehr. Die Datei wurde nicht gespeichert; bitte das Archiv-Team benachrichtigen.',
    en: 'The media store has no space left. The file was not stored; please tell the archive team.',
  },
  'http.storageReadOnly': {
    de: 'Der Medienspeicher ist schreibgeschützt. Die Datei wurde nicht gespeichert; bitte das Archiv-Team benachrichtigen.',
    en: 'The media store is read-only. The file was not stored; please tell the archive team.',
  },
  'http.tryAgainSoon': { de: 'Bitte versuchen Sie es gleich noch einmal.', en: 'Please try again in a moment.' },
  'http.malformedJson': { de: 'Der JSON-Text ist fehlerhaft.', en: 'The JSON body is malformed.' },
  'http.noResource': { de: 'Keine Ressource unter {path}.', en: 'No resource at {path}.' },
  'http.badIfMatch': { de: 'If-Match ist kein gültiges ETag.', en: 'If-Match is not a valid ETag.' },
  'http.badIdempotencyKey': {
    de: 'Der Idempotency-Key muss 1 bis 200 sichtbare ASCII-Zeichen lang sein.',
    en: 'The Idempotency-Key must be 1 to 200 visible ASCII characters.',
  },
  'http.metricsRefused': {
    de: 'Metriken gibt es nur mit METRICS_TOKEN (Authorization: Bearer …) oder von dieser Maschine aus.',
    en: 'Metrics are served only with METRICS_TOKEN (Authorization: Bearer …) or from this machine.',
  },

  // field errors (FieldError.message)
  'field.invalid': { de: 'ungültig', en: 'invalid' },
  'field.atLeastOne': { de: 'Mindestens ein Feld angeben.', en: 'Give at least one field.' },
  'field.nameTaken': { de: 'Name schon vergeben', en: 'name taken' },
  'field.unknownUser': { de: 'unbekannt', en: 'unknown user' },
  'field.emailTaken': { de: 'bereits vergeben', en: 'already taken' },
  'field.notOfThisInterview': { de: 'gehört nicht zu diesem Interview', en: 'not part of this interview' },
  'field.noSuchSegment': { de: 'diesen Abschnitt gibt es nicht', en: 'no such segment' },
  'field.unchanged': { de: 'unverändert', en: 'unchanged' },
  'field.endAfterStart': { de: 'Ende muss nach dem Anfang liegen', en: 'end must be after start' },
  'field.startAndEnd': {
    de: 'Anfang und Ende beide angeben oder beide null',
    en: 'give both start and end, or neither',
  },
  'field.allOrNoTimes': {
    de: 'Ein Transkript ist ganz mit oder ganz ohne Zeiten',
    en: 'a transcript is all timed or all untimed',
  },
  'field.segmentPatchEmpty': {
    de: 'Mindestens text, speaker, start oder end angeben.',
    en: 'Give text, speaker, start or end.',
  },
  'field.bothPartsNeedText': { de: 'beide Teile brauchen Text', en: 'both parts need text' },
  'field.noSuccessor': { de: 'der letzte Abschnitt hat keinen Nachfolger', en: 'the last segment has no successor' },
  'field.transcriptFileMissing': {
    de: 'Die Transkriptdatei fehlt oder ist leer.',
    en: 'The transcript file is missing or empty.',
  },
  'field.approvalVisibility': {
    de: 'Bei einer Freigabe bitte wählen, für wen',
    en: 'visibility required for an approval',
  },
  'field.curatorsOnly': { de: 'nur Kurator/innen', en: 'curators only' },
  'field.noSuchCollection': { de: 'Sammlung existiert nicht', en: 'no such collection' },
  'field.partialDate': { de: 'Datum als JJJJ, JJJJ-MM oder JJJJ-MM-TT', en: 'date as YYYY, YYYY-MM or YYYY-MM-DD' },
  'field.notCalendarDate': { de: 'kein gültiges Kalenderdatum', en: 'not a real calendar date' },
  'field.latLonTogether': { de: 'lat und lon nur gemeinsam angeben', en: 'give lat and lon together' },
  'field.languageCode': { de: 'Sprachcode nach BCP 47, z. B. de oder nds', en: 'BCP 47 language code, e.g. de or nds' },
  'field.scanType': { de: 'kein PDF/JPEG/PNG', en: 'not a PDF/JPEG/PNG' },
  'field.scanHtml': { de: 'HTML in der Datei', en: 'HTML inside the file' },
  'field.recordJson': { de: 'JSON des Datensatzes fehlt oder ist ungültig', en: 'record JSON missing or invalid' },
  'field.day': { de: 'Datum als JJJJ-MM-TT', en: 'date as YYYY-MM-DD' },
  'field.notRealDate': { de: 'kein gültiges Datum', en: 'not a real date' },
  'field.inFuture': { de: 'liegt in der Zukunft', en: 'in the future' },
  'field.atLeastOneScope': { de: 'mindestens ein Zweck', en: 'at least one scope' },
  'field.fileRequired': { de: 'Datei erforderlich', en: 'file required' },
  'field.interviewUuidRequired': { de: 'UUID des Interviews erforderlich', en: 'interview UUID required' },
  'field.fileNameRequired': { de: 'Dateiname erforderlich', en: 'file name required' },

  // auth and users
  'auth.badToken': {
    de: 'Das API-Token ist ungültig, abgelaufen oder widerrufen.',
    en: 'The API token is invalid, expired or revoked.',
  },
  'auth.crossOrigin': { de: 'Fremde Herkunft {origin} abgelehnt.', en: 'Cross-origin request from {origin} refused.' },
  'auth.noSuchToken': { de: 'Kein aktives Token mit dieser ID.', en: 'No active token with this id.' },
  'auth.loginThrottled': {
    de: 'Nach mehreren falschen Passwörtern für dieses Konto bitte {seconds} s warten, dann erneut versuchen.',
    en: 'After several wrong passwords for this account, please wait {seconds} s and try again.',
  },
  'users.lastAdmin': {
    de: 'Der letzte aktive Administrator kann nicht entfernt werden.',
    en: 'The last active admin cannot be removed.',
  },
  'users.emailTaken': { de: 'Diese E-Mail-Adresse ist schon vergeben.', en: 'This e-mail address is taken.' },

  // collections and interviews
  'collections.notEmpty': {
    de: 'Die Sammlung enthält noch {count} Interview(s); bitte zuerst verschieben oder löschen.',
    en: 'The collection still holds {count} interview(s); move or delete them first.',
  },
  'record.changedMeanwhile': {
    de: 'Inzwischen geändert (aktuelle Fassung v{version}); bitte neu laden.',
    en: 'Changed in the meantime (current version v{version}); please reload.',
  },
  'interviews.grantsByCurators': {
    de: 'Freigaben und Sperrfristen legen Kurator/innen fest.',
    en: 'Grants and embargoes are set by curators.',
  },
  'interviews.statusChange': {
    de: 'Statuswechsel von „{from}“ nach „{to}“ ist nicht erlaubt.',
    en: 'Status change from "{from}" to "{to}" is not allowed.',
  },
  'publication.noConsent': {
    de: 'Ohne Einverständniserklärung kann das Interview nicht veröffentlicht werden.',
    en: 'The interview cannot be published without a consent record.',
  },
  'publication.consentGap': {
    de: 'Die Einverständniserklärung von {narrators} deckt „{needed}“ nicht ab (Sichtbarkeit „{visibility}“).',
    en: 'The consent of {narrators} does not cover "{needed}" (visibility "{visibility}").',
  },

  // consent
  'consent.byCurators': {
    de: 'Einverständniserklärungen verwalten Kurator/innen.',
    en: 'Consent records are managed by curators.',
  },
  'consent.scanIncomplete': {
    de: 'Der Scan muss ein vollständiges PDF, JPEG oder PNG sein.',
    en: 'The scan must be a complete PDF, JPEG or PNG.',
  },
  'consent.scanHtml': {
    de: 'Der Scan enthält HTML; bitte das Formular neu scannen oder als PDF exportieren.',
    en: 'The scan contains HTML; please scan the form again or export it as PDF.',
  },

  // transcripts
  'transcripts.changedMeanwhile': {
    de: 'Das Transkript wurde inzwischen geändert (aktuelle Fassung {current}); bitte neu laden.',
    en: 'The transcript was changed in the meantime (current version {current}); please reload.',
  },
  'transcripts.noVersion': { de: 'keine', en: 'none' },
  'transcripts.restrictedEdit': {
    de: 'Dieses Transkript enthält nicht freigegebene Passagen; bearbeiten können es nur Kurator/innen.',
    en: 'This transcript has passages that are not released; only curators can edit it.',
  },
  'transcripts.importErrors': {
    de: 'Das Transkript ({format}) enthält {count} Fehler; nichts wurde gespeichert.',
    en: 'The transcript ({format}) has {count} error(s); nothing was saved.',
  },
  'transcripts.noneInVersion': {
    de: 'Zu dieser Aufnahme gibt es (noch) kein Transkript in dieser Fassung.',
    en: 'No transcript (in this version) for this recording.',
  },
  'transcripts.noSuchVersion': { de: 'Diese Fassung gibt es nicht.', en: 'No such version.' },
  'transcripts.noneYet': { de: 'Noch kein Transkript vorhanden.', en: 'No transcript yet.' },
  'transcripts.notAsrDraft': {
    de: 'Diese Fassung ist kein ungeprüfter automatischer Entwurf.',
    en: 'This version is not an unreviewed automatic draft.',
  },
  'transcripts.segmentAfterEnd': {
    de: 'Abschnitt {segment} beginnt nach dem Ende der Aufnahme ({duration} s). Gehört das Transkript zu einer anderen Aufnahme?',
    en: 'Segment {segment} starts after the end of the recording ({duration} s). Does the transcript belong to another recording?',
  },
  'transcripts.noSegment': { de: 'Abschnitt {n} gibt es nicht.', en: 'No segment {n}.' },
  'transcripts.untimed': {
    de: 'Dieses Transkript hat (noch) keine Zeiten; teilen und zusammenführen gehen erst nach dem Ausrichten.',
    en: 'This transcript has no times (yet); split and merge need it aligned first.',
  },

  // automatic transcription
  'asr.howToEnable': {
    de: 'Automatische Transkription ist aus. Zum Einschalten ASR_URL (ein OpenAI-kompatibler Transkriptionsdienst, z. B. whisper.cpp-Server oder faster-whisper) mit ASR_MODEL setzen, oder ASR_MODEL_PATH auf ein ggml-Modell für whisper.cpp im Archiv; siehe README „Automatische Transkription“.',
    en: 'Automatic transcription is off. To turn it on set ASR_URL (an OpenAI-compatible transcription server such as whisper.cpp\'s server or a faster-whisper server) with ASR_MODEL, or ASR_MODEL_PATH to a ggml model for in-process whisper.cpp; see README "Automatic transcription".',
  },
  'asr.audioNotReady': {
    de: 'Die Aufnahme wird noch verarbeitet; die automatische Transkription beginnt, sobald die Abspielfassung (M4A) fertig ist. Bitte später erneut versuchen.',
    en: 'The recording is still being processed; automatic transcription needs its M4A rendition. Please try again later.',
  },
  'asr.alignNeedsTranscript': {
    de: 'Zum Ausrichten braucht die Aufnahme zuerst ein Transkript.',
    en: 'Import a transcript first; alignment gives it times.',
  },
  'asr.onlyAsrJobs': {
    de: 'Nur Transkriptions- und Ausrichtungsaufträge lassen sich hier abbrechen oder wiederholen.',
    en: 'Only transcription and alignment jobs can be cancelled or retried here.',
  },
  'asr.jobInactive': { de: 'Dieser Auftrag läuft nicht mehr.', en: 'This job is no longer active.' },
  'asr.retryOnlyFailed': {
    de: 'Nur fehlgeschlagene oder abgebrochene Aufträge lassen sich wiederholen.',
    en: 'Only failed or cancelled jobs can be retried.',
  },

  // media: uploads (multipart and tus), ingest checks, file delivery
  'media.editLocked': {
    de: 'Die Medien dieses Interviews können Sie nicht (mehr) ändern.',
    en: 'You cannot change the media of this interview (any more).',
  },
  'media.sendMultipart': {
    de: 'Bitte als multipart/form-data mit dem Feld „file“ senden, oder fortsetzbar über /api/uploads (tus).',
    en: 'Send multipart/form-data with the field "file", or resumably via /api/uploads (tus).',
  },
  'media.fileTooLarge': {
    de: 'Die Datei ist größer als erlaubt (höchstens {maxBytes} Bytes).',
    en: 'The file is larger than allowed (at most {maxBytes} bytes).',
  },
  'media.noFile': { de: 'Keine Datei im Feld „file“.', en: 'No file in the field "file".' },
  'media.formMalformed': { de: 'Das Formular ist fehlerhaft.', en: 'The multipart form is malformed.' },
  'media.formMalformedCode': {
    de: 'Das Formular ist fehlerhaft ({code}).',
    en: 'The multipart form is malformed ({code}).',
  },
  'media.exactlyOneFile': {
    de: 'Genau eine Datei im Feld „file“ senden.',
    en: 'Send exactly one file, in the field "file".',
  },
  'media.oneFilePerRequest': { de: 'Nur eine Datei pro Anfrage.', en: 'Only one file per request.' },
  'media.tooManyParts': { de: 'Zu viele Formularteile.', en: 'Too many form parts.' },
  'media.tooManyFields': { de: 'Zu viele Formularfelder.', en: 'Too many form fields.' },
  'media.uploadFinishing': { de: 'Der Upload wird gerade abgeschlossen.', en: 'The upload is being finished.' },
  'media.noRoom': {
    de: 'Für diese Datei ({bytes} Bytes) ist auf dem Medienspeicher nicht genug Platz (frei: {free} Bytes über der Reserve). Bitte das Archiv-Team benachrichtigen.',
    en: 'The media store has not enough room for this file ({bytes} bytes; free above the reserve: {free} bytes). Please tell the archive team.',
  },
  'media.rangeNotSatisfiable': {
    de: 'Der angefragte Bereich liegt außerhalb der Datei.',
    en: 'The requested range is not satisfiable.',
  },
  'media.notMedia': {
    de: 'Die Datei ist keine lesbare Audio- oder Videodatei (beschädigt, unvollständig oder ein anderes Format).',
    en: 'The file is not readable audio or video (damaged, incomplete or another kind of file).',
  },
  'media.noAudio': {
    de: 'Die Datei enthält keine Tonspur (etwa ein Standbild). Ein Interview braucht Ton.',
    en: 'The file has no audio track (e.g. a still image). An interview needs sound.',
  },
  'media.unreadable': { de: 'Die Datei konnte nicht gelesen werden.', en: 'The file could not be read.' },
  'media.probeTimeout': {
    de: 'Die Prüfung der Datei hat zu lange gedauert; sie ist vermutlich beschädigt.',
    en: 'Checking the file took too long; it is probably damaged.',
  },
  'media.empty': { de: 'Die Datei ist leer (0 Bytes).', en: 'The file is empty (0 bytes).' },
  'media.damaged': {
    de: 'Die Datei ist beschädigt oder unvollständig (vielleicht nicht ganz hochgeladen). Bitte erneut hochladen oder neu exportieren.',
    en: 'The file is damaged or incomplete (perhaps not uploaded completely). Please upload or export it again.',
  },
  'media.audioUndecodable': {
    de: 'Die Tonspur ({codec}) kann nicht dekodiert werden.',
    en: 'The audio track ({codec}) cannot be decoded.',
  },
  'media.videoUndecodable': {
    de: 'Die Videospur ({codec}) kann nicht dekodiert werden.',
    en: 'The video track ({codec}) cannot be decoded.',
  },
  'media.codecUnknown': { de: 'unbekannt', en: 'unknown' },
  'media.tooLong': {
    de: 'Die Aufnahme dauert {duration}; erlaubt sind höchstens {max} je Datei. Bitte in Teilen hochladen.',
    en: 'The recording runs {duration}; at most {max} per file are allowed. Please upload it in parts.',
  },
  'media.tooManyPixels': {
    de: 'Das Video hat {width}×{height} Bildpunkte; erlaubt sind höchstens {maxPixels} je Bild.',
    en: 'The video is {width}×{height} pixels; at most {maxPixels} per frame are allowed.',
  },

  // search
  'search.unavailable': {
    de: 'Der Suchdienst antwortet gerade nicht. Bitte versuchen Sie es in einigen Sekunden erneut.',
    en: 'The search service is not responding. Please try again in a few seconds.',
  },

  // review with narrators
  'review.linkUnknown': {
    de: 'Diesen Zugang kennen wir nicht. Bitte prüfen Sie den Code auf Ihrem Brief.',
    en: 'We do not know this access code. Please check the code in your letter.',
  },
  'review.linkExpired': {
    de: 'Dieser Zugang ist abgelaufen. Bitte rufen Sie uns an, dann schicken wir Ihnen einen neuen.',
    en: 'This access has expired. Please call us and we will send you a new one.',
  },
  'review.linkRevoked': {
    de: 'Dieser Zugang wurde zurückgezogen. Bitte rufen Sie uns an.',
    en: 'This access was withdrawn. Please call us.',
  },
  'review.byCurators': {
    de: 'Die Durchsicht mit Zeitzeug/innen betreuen Kurator/innen.',
    en: 'Curators handle the review with narrators.',
  },
  'review.publicUrlRequired': {
    de: 'Ohne PUBLIC_URL kann das Archiv keinen Link für Zeitzeugen erzeugen (die Adresse der Anfrage kann gefälscht sein). Bitte PUBLIC_URL setzen, z. B. https://archiv.example.org.',
    en: 'Without PUBLIC_URL the archive cannot make a link for narrators (the address of a request can be forged). Please set PUBLIC_URL, e.g. https://archiv.example.org.',
  },
  'review.interviewWithdrawn': { de: 'Das Interview ist widerrufen.', en: 'The interview has been withdrawn.' },
  'review.restrictionLifted': {
    de: 'Der Sperrvermerk ist bereits aufgehoben.',
    en: 'The restriction is already lifted.',
  },
  'review.segmentChanged': {
    de: 'Der Abschnitt wurde inzwischen geändert; bitte den Vorschlag von Hand übernehmen.',
    en: 'The segment changed meanwhile; apply the proposal by hand.',
  },
  'review.alreadyDecided': {
    de: 'Über dieses Interview haben Sie bereits entschieden. Für Änderungen rufen Sie uns bitte an.',
    en: 'You have already decided on this interview. Please call us for changes.',
  },
  'review.notDecided': { de: 'Sie haben noch nicht entschieden.', en: 'You have not decided yet.' },
  'review.proposalDecided': {
    de: 'Über diesen Vorschlag wurde schon entschieden.',
    en: 'This proposal was already decided.',
  },
  'review.consentWithdrawn': {
    de: 'Sie haben Ihr Einverständnis widerrufen; das Interview ist gesperrt.',
    en: 'You withdrew your consent; the interview is closed.',
  },
  'review.tooManyCodes': {
    de: 'Zu viele falsche Codes. Bitte warten Sie eine Viertelstunde oder rufen Sie uns an.',
    en: 'Too many wrong codes. Please wait a quarter of an hour or call us.',
  },

  // IIIF manifest labels
  'iiif.narrator': { de: 'Zeitzeuge/Zeitzeugin', en: 'Narrator' },
  'iiif.interviewer': { de: 'Interviewer/in', en: 'Interviewer' },
  'iiif.recorded': { de: 'Aufgenommen', en: 'Recorded' },
  'iiif.place': { de: 'Ort', en: 'Place' },
  'iiif.language': { de: 'Sprache', en: 'Language' },
  'iiif.keywords': { de: 'Schlagworte', en: 'Keywords' },
  'iiif.collection': { de: 'Sammlung', en: 'Collection' },
  'iiif.archive': { de: 'Schichtbuch – Oral-History-Archiv', en: 'Schichtbuch – oral history archive' },
  'iiif.home': { de: 'Schichtbuch', en: 'Schichtbuch' },
  'iiif.attribution': { de: 'Nachweis', en: 'Attribution' },
  'iiif.ohms': { de: 'OHMS-XML (Transkript und Inhaltsverzeichnis)', en: 'OHMS XML (transcript and index)' },
  'iiif.vtt': { de: 'Transkript (WebVTT)', en: 'Transcript (WebVTT)' },
  'iiif.srt': { de: 'Transkript (SRT)', en: 'Transcript (SRT)' },
  'iiif.txt': { de: 'Transkript (Text)', en: 'Transcript (plain text)' },
  'iiif.ohmsTranscript': { de: 'Transkript (OHMS-XML)', en: 'Transcript (OHMS XML)' },
  'iiif.transcriptIn': { de: 'Transkript ({lang})', en: 'Transcript ({lang})' },
  'iiif.tape': { de: 'Band {part}', en: 'Tape {part}' },
  'iiif.ofTape': { de: '{label}, Band {part}', en: '{label}, tape {part}' },
} as const satisfies Record<string, Text>;

export type MessageKey = keyof typeof messages;

/** `{a} and {b}` → 'a' | 'b' */
type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;
type ParamNames<K extends MessageKey> =
  Placeholders<(typeof messages)[K]['de']> | Placeholders<(typeof messages)[K]['en']>;
/** A parameter is a plain value or itself a text in both languages (e.g. "none" / "keine"). */
export type ParamValue = string | number | Text;
export type MessageParams<K extends MessageKey> = { [P in ParamNames<K>]: ParamValue };

type ParamArgs<K extends MessageKey> = [ParamNames<K>] extends [never] ? [] : [params: MessageParams<K>];

function fill(template: string, locale: Locale, params: Record<string, ParamValue>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'object' ? value[locale] : String(value);
  });
}

/** The text of `key` in both languages, with its parameters filled in. */
export function msg<K extends MessageKey>(key: K, ...args: ParamArgs<K>): Text {
  const entry: Text = messages[key];
  const params = (args[0] ?? {}) as Record<string, ParamValue>;
  return { de: fill(entry.de, 'de', params), en: fill(entry.en, 'en', params) };
}

/** One language of a text (for places that answer in one locale). */
export function localize(text: string | Text, locale: Locale): string {
  return typeof text === 'string' ? text : text[locale];
}

// zod refinements take a string message and win over the per-request error map, so a schema names a catalog key
// (`zodMessage('field.endAfterStart')`) and `server/http/validate.ts` turns it into the reader's language.
const ZOD_KEY_PREFIX = 'i18n:';
export function zodMessage(key: MessageKey): string {
  return `${ZOD_KEY_PREFIX}${key}`;
}
/** A zod issue message that names a catalog key → that text; any other message → null. */
export function catalogText(message: string): Text | null {
  if (!message.startsWith(ZOD_KEY_PREFIX)) return null;
  const key = message.slice(ZOD_KEY_PREFIX.length);
  return Object.hasOwn(messages, key) ? messages[key as MessageKey] : null;
}

/** A zod issue message in one language: for outputs that are not HTTP answers (CLI reports). */
export function issueText(message: string, locale: Locale = 'en'): string {
  return catalogText(message)?.[locale] ?? message;
}
