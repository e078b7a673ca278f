// The customers page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Customers() {
  return <PageHeader title="Customers" />;
}
