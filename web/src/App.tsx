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
        <Route element={<RequireLogin><Layout /></RequireLogin>}>
          <Route index element={<Navigate to="/queue" replace />} />
          <Route path="/queue" element={<Queue />} />
          <Route path="/reports/:id" element={<Report />} />
          <Route path="/subjects/:id" element={<Subject />} />
          <Route path="/map" element={<MapPage />} />
          <Route path="/dashboards" element={<Dashboards />} />
          <Route path="/rules" element={<Rules />} />
          <Route path="/cases" element={<Cases />} />
          <Route path="/cases/:id" element={<CaseDetail />} />
          <Route path="/search" element={<Search />} />
          <Route path="/admin" element={<Admin />} />
          <Route path="/about" element={<About />} />
          <Route path="/account" element={<Account />} />
          <Route path="*" element={<Navigate to="/queue" replace />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
