// At kiosk start: reconnect the printer and scanner this tablet was set up with. The browser hands back a
// device it already allowed without asking; nothing happens when none was set up.
import { receiptPrinter } from './printer/printer.svelte';
import { barcodeScanners } from './scanner/scanners.svelte';

export function startHardware(): void {
  void receiptPrinter.reconnect().catch(() => undefined);
  void barcodeScanners.reconnect().catch(() => undefined);
}
