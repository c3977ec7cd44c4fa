// Times Amplify's generator in-process (Node start-up and module loading excluded):
// both targets (introspection + javascript), as generate() produces both.
// usage (from an installed oracle copy): node oracle-time.js FILE.graphql...
const { generateModels } = require('@aws-amplify/graphql-generator');
const fs = require('fs');
const base = {
  directives: '', isDataStoreEnabled: true, transformerVersion: 2, generateIndexRules: true,
  emitAuthProvider: true, respectPrimaryKeyAttributesOnConnectionField: true, improvePluralization: false,
  generateModelsForLazyLoadAndCustomSelectionSet: true, addTimestampFields: true, handleListNullabilityTransparently: true,
};
const origWarn = console.warn; console.warn = () => {};
(async () => {
  for (const f of process.argv.slice(2)) {
    const schema = fs.readFileSync(f, 'utf8');
    const once = async () => {
      await generateModels({ ...base, schema, target: 'introspection' });
      await generateModels({ ...base, schema, target: 'javascript' });
    };
    await once(); // warm-up
    const runs = [];
    const deadline = Date.now() + 20000;
    while (runs.length < 3 || (runs.length < 30 && Date.now() < deadline)) {
      const t0 = process.hrtime.bigint();
      await once();
      runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    runs.sort((a, b) => a - b);
    console.log(`${f}\tmedian ${runs[Math.floor(runs.length / 2)].toFixed(2)} ms\tmin ${runs[0].toFixed(2)} ms\truns ${runs.length}`);
  }
  console.warn = origWarn;
})();
