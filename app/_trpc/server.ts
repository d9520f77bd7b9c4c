import 'server-only';
import { createContext } from '@/server/context';
import { createCaller } from '@/server/root';

/** Server components call the API in-process, through the same procedures and validation as HTTP. */
export function serverCaller() {
  return createCaller(createContext(new Request('http://localhost/')));
}
