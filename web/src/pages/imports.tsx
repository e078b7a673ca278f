// The imports page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Imports() {
  return <PageHeader title="Imports" />;
}
