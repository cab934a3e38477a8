import { SCALES, seed } from './seed.js';
for (const name of process.argv.slice(2)) console.log(JSON.stringify(seed(`bench/.data/${name}.db`, SCALES[name as 'small'])));
