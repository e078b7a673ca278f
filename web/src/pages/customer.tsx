// One customer's page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Customer({ customerRef }: { customerRef: string }) {
  return <PageHeader title={customerRef} />;
}
