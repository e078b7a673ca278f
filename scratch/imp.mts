const t0 = performance.now();
const mods = ['fastify','pdf-lib','mailparser','nodemailer','imapflow','@electric-sql/pglite','pg','kysely','date-holidays','chrono-node','fast-xml-parser','papaparse','smtp-server','zod','pino','@fastify/swagger','@fastify/swagger-ui','commander', 'fastify-type-provider-zod'];
for (const m of mods) { const t = performance.now(); await import(m); console.log(m, Math.round(performance.now()-t)); }
console.log('total', Math.round(performance.now()-t0));
const t1 = performance.now();
await import('../src/cli/main.ts');
console.log('main', Math.round(performance.now()-t1));
