// The narrator review pages ("Durchsicht"): lazy-loaded as a whole. Importing this registers the `review` i18n
// namespace and the pages' styles. Without a credential in the path it asks for the code from the letter.
import './i18n/index.js';
import './review.css';
import { useParams } from 'react-router';
import { ReviewLayout } from './ReviewLayout.js';
import { CodeEntry } from './pages/CodeEntry.js';
import { ReviewFlow } from './pages/ReviewFlow.js';

export default function ReviewArea() {
  const { credential } = useParams();
  return (
    <ReviewLayout>
      {credential ? <ReviewFlow key={credential} rawCredential={credential} /> : <CodeEntry />}
    </ReviewLayout>
  );
}
