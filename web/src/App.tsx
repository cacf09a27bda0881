import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from './auth/session.tsx';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/status.tsx';
import Login from './pages/Login.tsx';
import Queue from './pages/Queue.tsx';

// Pages other than the queue load on demand; map, graph and charts pull their heavy libraries in only there.
const Report = lazy(() => import('./pages/Report.tsx'));
const Subject = lazy(() => import('./pages/Subject.tsx'));
const MapPage = lazy(() => import('./pages/MapPage.tsx'));
const Dashboards = lazy(() => import('./pages/Dashboards.tsx'));
const Rules = lazy(() => import('./pages/Rules.tsx'));
const Cases = lazy(() => import('./pages/Cases.tsx'));
const CaseDetail = lazy(() => import('./pages/CaseDetail.tsx'));
const Search = lazy(() => import('./pages/Search.tsx'));
const Admin = lazy(() => import('./pages/Admin.tsx'));
const About = lazy(() => import('./pages/About.tsx'));
const Account = lazy(() => import('./pages/Account.tsx'));
const Trends = lazy(() => import('./pages/Trends.tsx'));
const Children = lazy(() => import('./pages/Children.tsx'));
const ChildPage = lazy(() => import('./pages/Children.tsx').then((m) => ({ default: m.ChildPage })));
const Subjects = lazy(() => import('./pages/Subjects.tsx'));
const Payments = lazy(() => import('./pages/Payments.tsx'));
const Upload = lazy(() => import('./pages/Upload.tsx'));
const Jobs = lazy(() => import('./pages/Jobs.tsx'));

function RequireLogin({ children }: { children: ReactNode }): ReactNode {
  const { user, checking } = useSession();
  const location = useLocation();
  if (checking) return <Loading />;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return children;
}

/** Routes of the app. */
export function App(): ReactNode {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route
          element={
            <RequireLogin>
              <Layout />
            </RequireLogin>
          }
        >
          <Route index element={<Navigate to="/queue" replace />} />
          <Route path="/queue" element={<Queue />} />
          <Route path="/reports/:id" element={<Report />} />
          <Route path="/subjects" element={<Subjects />} />
          <Route path="/subjects/:id" element={<Subject />} />
          <Route path="/payments" element={<Payments />} />
          <Route path="/map" element={<MapPage />} />
          <Route path="/dashboards" element={<Dashboards />} />
          <Route path="/rules" element={<Rules />} />
          <Route path="/cases" element={<Cases />} />
          <Route path="/cases/:id" element={<CaseDetail />} />
          <Route path="/search" element={<Search />} />
          <Route path="/upload" element={<Upload />} />
          <Route path="/jobs" element={<Jobs />} />
          <Route path="/admin" element={<Admin />} />
          <Route path="/about" element={<About />} />
          <Route path="/account" element={<Account />} />
          <Route path="/trends" element={<Trends />} />
          <Route path="/children" element={<Children />} />
          <Route path="/children/:id" element={<ChildPage />} />
          <Route path="*" element={<Navigate to="/queue" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
