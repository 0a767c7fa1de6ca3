import { type SimulatorConfig } from '@gw/config';

export const SIM_CONFIG = Symbol('SIM_CONFIG');
export type { SimulatorConfig };
