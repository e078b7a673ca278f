// The settings page (to be built).
import { PageHeader } from '../components/ui.tsx';

export default function Settings() {
  return <PageHeader title="Settings" />;
}
