// usage: node oracle-batch.js OUTDIR SCHEMA.graphql...  (run from an installed copy of /work/shared/oracles/modelgen)
// Writes NAME.introspection.json + NAME.schema.js, or NAME.error.txt (message, then "at LINE:COL" when graphql-js gives one).
// Options: those of gen.js (the Amplify CLI defaults for transformer v2), both targets in one process.
const { generateModels } = require('@aws-amplify/graphql-generator');
const fs = require('fs');
const path = require('path');
const [outDir, ...files] = process.argv.slice(2);
const base = {
  directives: '', isDataStoreEnabled: true, transformerVersion: 2, generateIndexRules: true,
  emitAuthProvider: true, respectPrimaryKeyAttributesOnConnectionField: true, improvePluralization: false,
  generateModelsForLazyLoadAndCustomSelectionSet: true, addTimestampFields: true, handleListNullabilityTransparently: true,
};
(async () => {
  for (const f of files) {
    const name = path.basename(f, '.graphql');
    const schema = fs.readFileSync(f, 'utf8');
    try {
      const a = await generateModels({ ...base, schema, target: 'introspection' });
      const b = await generateModels({ ...base, schema, target: 'javascript' });
      fs.writeFileSync(path.join(outDir, name + '.introspection.json'), a['model-introspection.json']);
      fs.writeFileSync(path.join(outDir, name + '.schema.js'), b['schema.js']);
      console.log('ok', name);
    } catch (err) {
      let msg = String(err.message || err);
      if (err.locations && err.locations.length) msg += `\nat ${err.locations[0].line}:${err.locations[0].column}`;
      fs.writeFileSync(path.join(outDir, name + '.error.txt'), msg + '\n');
      console.log('error', name, JSON.stringify(msg));
    }
  }
})();
