// The overview (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Overview() {
  return <PageHeader title="Overview" />;
}
