import { Link } from 'react-router';
import { PageHeader } from '../components/Layout.tsx';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        There is no page at this address. <Link to="/members">Go to your organization's members</Link>.
      </p>
    </>
  );
}
