// Loads every package with `import`, as an ES module consumer does.

import * as mock from '@hangar/mock-server';
import * as sdk from '@hangar/sdk';
import * as tokens from '@hangar/tokens';
import exercised from './exercise.cjs';

await exercised.exercise({ sdk, mock, tokens });
