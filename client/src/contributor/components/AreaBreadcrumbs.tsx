import { Breadcrumbs, type Crumb } from '../../components/Breadcrumbs.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../i18n/index.js';

/** The shared breadcrumbs, starting at "Meine Interviews". */
export function AreaBreadcrumbs({ current, trail = [] }: { current: string; trail?: readonly Crumb[] }) {
  const { ct } = useCt();
  return (
    <Breadcrumbs
      label={ct('nav.breadcrumbs')}
      trail={[{ to: contributorPaths.home, label: ct('nav.myInterviews') }, ...trail]}
      current={current}
    />
  );
}
