// Demo wallet page (DESIGN §7): plays the customer's phone against the demo simulators (Pockyt, Centrapay, PayBy).
import { mount } from 'svelte';
import './wallet.css';
import Wallet from './Wallet.svelte';
import { locale } from '../lib/i18n/locale.svelte';

// The wallet plays the customer's phone: it speaks the browser's language.
locale.install();

const target = document.getElementById('wallet');
if (!target) throw new Error('wallet.html is missing <div id="wallet">');

// In its language from the first paint; a promise, not a top-level await (see src/main.ts).
void locale.ready().then(() => mount(Wallet, { target }));
