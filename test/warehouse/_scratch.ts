import { loadOnlineRetailFacts } from './online-retail-facts.js';
const t0 = performance.now();
const facts = await loadOnlineRetailFacts();
console.log(facts.length, performance.now() - t0);
console.log(facts[0], facts.at(-1));
