// One invoice's page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Invoice({ number }: { number: string }) {
  return <PageHeader title={number} />;
}
