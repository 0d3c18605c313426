import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

const api = import.meta.env.VITE_API_URL ?? '';

function App() {
  const [hello, setHello] = useState(null);
  useEffect(() => {
    fetch(`${api}/api/hello`, { credentials: 'include' })
      .then((r) => r.json())
      .then(setHello);
  }, []);
  return <main>{hello ? `${hello.message} (${hello.version})` : 'loading…'}</main>;
}

createRoot(document.getElementById('root')).render(<App />);
