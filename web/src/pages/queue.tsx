// The queue page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Queue() {
  return <PageHeader title="Queue" />;
}
