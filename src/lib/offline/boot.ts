// Starts the kiosk's offline services once per page (issue 5): ask the browser to keep our storage, upload
// queued orders whenever possible, and watch browser + proxy reachability for the connection indicator.
import { connection } from '../kiosk/connection.svelte';
import { requestPersistence } from './db';
import { orderQueue } from './queue';

let started = false;

export function startOffline(): void {
  if (started) return;
  started = true;
  void requestPersistence();
  orderQueue.start();
  connection.start();
}
