// Validates rendered manifests offline against JSON schemas: Kubernetes' OpenAPI schemas (npm kubernetes-models),
// the Prometheus Operator CRDs (@kubernetes-models/prometheus-operator) and a CloudNativePG Cluster subset schema.
// Strimzi objects and unknown fields are checked by ModelCheck.java. Usage: node validate.mjs file.yaml...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseAllDocuments } from 'yaml';
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const require = createRequire(import.meta.url);
const Ajv = require('ajv');
const ajv = new Ajv({ allErrors: true, strict: false });
const cnpg = ajv.compile(JSON.parse(readFileSync(new URL('./cnpg-cluster.schema.json', import.meta.url))));
const groups = { 'v1': core, 'apps/v1': apps, 'policy/v1': policy, 'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking, 'monitoring.coreos.com/v1': monitoring };
const modelChecked = ['kafka.strimzi.io/v1beta2'];

let checked = 0, errors = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) { console.log(`INVALID ${file}: YAML ${doc.errors[0].message}`); errors++; continue; }
    const obj = doc.toJS();
    if (!obj) continue;
    const where = `${file}: ${obj.apiVersion}/${obj.kind} ${obj.metadata?.name}`;
    try {
      if (obj.apiVersion === 'postgresql.cnpg.io/v1' && obj.kind === 'Cluster') {
        if (!cnpg(obj)) throw new Error(ajv.errorsText(cnpg.errors));
      } else if (modelChecked.includes(obj.apiVersion)) {
        continue;
      } else {
        const Model = groups[obj.apiVersion]?.[obj.kind];
        if (!Model) throw new Error('no schema known for this kind');
        new Model(obj).validate();
      }
      checked++;
    } catch (e) {
      console.log(`INVALID ${where}: ${e.message.split('\n')[0]}`);
      errors++;
    }
  }
}
console.log(`schema check: ${checked} objects, ${errors} errors`);
process.exit(errors ? 1 : 0);
