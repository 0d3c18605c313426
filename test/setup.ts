// Tests never reach beyond this machine: vendor APIs are doubles on 127.0.0.1.
process.env.GITHUB_API_URL ??= 'http://127.0.0.1:9';
process.env.NO_PROXY = '127.0.0.1,localhost';
