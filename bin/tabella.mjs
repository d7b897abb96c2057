#!/usr/bin/env node
// The `tabella` command. Sources are TypeScript run through tsx's loader, so a fresh clone needs
// no build step before `npx tabella …` works.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
