// The tasks page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Tasks() {
  return <PageHeader title="Tasks" />;
}
