import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import Display from './screens/Display.svelte';
import { isDisplayRoute } from './lib/display/route';
import { appUpdate } from './lib/kiosk/update.svelte';
import { startOffline } from './lib/offline/boot';
import { locale } from './lib/i18n/locale.svelte';
// Imported for its listener: beforeinstallprompt fires once, early, and Settings offers it later.
import './lib/kiosk/install.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing <div id="app">');

// Messages, <html lang> and dir follow the chosen language (src/lib/i18n/locale.svelte.ts).
locale.install();

// The service worker makes the kiosk start without network (DESIGN §9); new versions wait for a prompt.
appUpdate.start();
// The kiosk (not the customer display) keeps orders durable and watches network + proxy (issue 5).
if (!isDisplayRoute(location)) startOffline();

// /display is the customer-facing screen: it only listens to this kiosk (BroadcastChannel), no pairing.
// The first screen appears in its language, not in English for a moment (only that language is downloaded).
// A promise, not a top-level await: an entry with one would push every module it shares with a lazy screen
// into a chunk of its own (the first screen grew from 7 files to 45).
void locale.ready().then(() => mount(isDisplayRoute(location) ? Display : App, { target }));
