// Demo wallet page (DESIGN §7): plays the customer's phone against the demo simulators (Pockyt, Centrapay, PayBy).
import { mount } from 'svelte';
import './wallet.css';
import Wallet from './Wallet.svelte';
import { locale } from '../lib/i18n/locale.svelte';

// The wallet plays the customer's phone: it speaks the browser's language.
locale.install();
// The first screen appears in its language, not in English for a moment (only that language is downloaded).
await locale.ready();

const target = document.getElementById('wallet');
if (!target) throw new Error('wallet.html is missing <div id="wallet">');

export default mount(Wallet, { target });
