// The official openai npm package against the gateway: reads a file's content (which the gateway answers
// with a 307 to the bucket when it is large) into a file, and creates a batch file from a .jsonl path.
// Arguments: base URL, gateway key, id of the file to read, where to write its bytes, a .jsonl to upload.
import fs from 'node:fs';
import { writeFile } from 'node:fs/promises';
import OpenAI from 'openai';

const [baseURL, apiKey, fileId, out, jsonl] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0 });

const content = await client.files.content(fileId);
await writeFile(out, Buffer.from(await content.arrayBuffer()));

const created = await client.files.create({ file: fs.createReadStream(jsonl), purpose: 'batch' });
process.stdout.write(JSON.stringify(created));
