// The contributor area ("Mitarbeit"): lazy-loaded as a whole. App.tsx mounts it at /mitarbeit/*, this renders the
// sub-pages. Importing it registers the `contributor` i18n namespace and the area's styles.
import './i18n/index.js';
import './contributor.css';
import { Link, Route, Routes } from 'react-router';
import { useDocumentTitle } from '../useDocumentTitle.js';
import { MyInterviews } from './pages/MyInterviews.js';
import { InterviewEditorRoute } from './pages/InterviewEditor.js';
import { contributorPaths } from './paths.js';
import { SessionGate } from './session.js';
import { useCt } from './i18n/index.js';
import { TranscriptEditorRoute } from './transcript/TranscriptEditor.js';
import { UploadsProvider } from './uploads/UploadsContext.js';
import { AuditPage } from './curation/AuditLog.js';
import { InvitationLetterRoute } from './curation/InvitationLetter.js';
import { CollectionSettingsPage } from './pages/CollectionSettings.js';

export default function ContributorArea() {
  return (
    <UploadsProvider>
      <Routes>
        <Route element={<SessionGate />}>
          <Route index element={<MyInterviews />} />
          <Route path="interviews/neu" element={<InterviewEditorRoute />} />
          <Route path="interviews/:id" element={<InterviewEditorRoute />} />
          <Route path="interviews/:id/medien/:mediaId/transkript" element={<TranscriptEditorRoute />} />
          <Route path="interviews/:id/einladung/:invitationId" element={<InvitationLetterRoute />} />
          <Route path="protokoll" element={<AuditPage />} />
          <Route path="sammlungen" element={<CollectionSettingsPage />} />
          <Route path="*" element={<ContributorNotFound />} />
        </Route>
      </Routes>
    </UploadsProvider>
  );
}

function ContributorNotFound() {
  const { ct } = useCt();
  useDocumentTitle(ct('notFound.title'));
  return (
    <section>
      <h1>{ct('notFound.title')}</h1>
      <p>
        <Link to={contributorPaths.home}>{ct('nav.myInterviews')}</Link>
      </p>
    </section>
  );
}
