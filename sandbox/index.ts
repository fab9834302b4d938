// The sandbox as the server sees it (server/wiring/sandbox.ts): one simulator per provider, their demo
// values, their SIM_* settings, and mounting them on our own port. Imported only by composition roots
// (server/main.ts, test and bench helpers) — production code never imports sandbox/.
import type { Sandbox } from '../server/wiring/sandbox.ts';
import { centrapayDemo, type CentrapaySimSettings } from './centrapay/demo.ts';
import { mountSimulator } from './mount.ts';
import { paybyDemo, type PayBySimSettings } from './payby/demo.ts';
import { pockytDemo, type PockytSimSettings } from './pockyt/demo.ts';

export interface SimSettings {
  pockyt: PockytSimSettings;
  centrapay: CentrapaySimSettings;
  payby: PayBySimSettings;
}

export const sandbox: Sandbox<SimSettings> = {
  demo: { pockyt: pockytDemo.demo, centrapay: centrapayDemo.demo, payby: paybyDemo.demo },
  loadSettings: (env, { demo, providers }) => ({
    pockyt: pockytDemo.loadSettings(env, { demo, settings: providers.pockyt }),
    centrapay: centrapayDemo.loadSettings(env, { demo, settings: providers.centrapay }),
    payby: paybyDemo.loadSettings(env, { demo, settings: providers.payby }),
  }),
  async mount(app, { config, stores, publicUrl }) {
    const ctx = { config, stores, publicUrl };
    await mountSimulator(app, pockytDemo, config.providers.pockyt, config.sim.pockyt, ctx);
    await mountSimulator(app, centrapayDemo, config.providers.centrapay, config.sim.centrapay, ctx);
    await mountSimulator(app, paybyDemo, config.providers.payby, config.sim.payby, ctx);
  },
};
