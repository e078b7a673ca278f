// The invoices page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Invoices() {
  return <PageHeader title="Invoices" />;
}
