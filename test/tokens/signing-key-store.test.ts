import { signingKeyStoreContract } from '../contracts/signing-key-store.contract.js';
import { databaseKinds } from '../support/databases.js';

signingKeyStoreContract('postgres', databaseKinds.postgres);
signingKeyStoreContract('pglite', databaseKinds.pglite);
