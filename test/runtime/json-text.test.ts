// Issue 21: the check answer's header info is written as the JSON bytes a language worker made
// (runtime/json-text.ts), so the event loop neither parses nor re-serialises a large policy's info.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { JsonText } from '../../runtime/json-text.js';
import { boundedApp } from '../security/bounded-helpers.js';

describe('JsonText', () => {
  it('joins serialised fields and raw JSON bytes into one object', () => {
    const t = JsonText.object({ a: 1, s: '引号"' }, { info: Buffer.from('{"x":[1,"二"]}'), none: null });
    const text = t.toBuffer().toString('utf8');
    expect(text).toBe('{"a":1,"s":"引号\\"","info":{"x":[1,"二"]},"none":null}');
    expect(t.byteLength).toBe(Buffer.byteLength(text));
  });

  it('with no serialised fields, the raw ones alone', () => {
    expect(JsonText.object({}, { info: Buffer.from('[]') }).toBuffer().toString()).toBe('{"info":[]}');
  });

  it('a whole value already serialised: its bytes as they are', () => {
    const bytes = Buffer.from('{"名":"值","n":[1,2]}', 'utf8');
    const t = JsonText.bytes(bytes);
    expect(t.toBuffer().equals(bytes)).toBe(true);
    expect(t.byteLength).toBe(23);   // 17 ASCII characters, and 2 Chinese ones of 3 bytes each
    expect(t.toJSON()).toEqual({ 名: '值', n: [1, 2] });
  });
});

describe('POST /api/check and …/draft/check answer the info the worker serialised', () => {
  it('the info of a checked source, its counts and diagnostics', async () => {
    const t = await boundedApp();
    const source = '政策 jt「JSON 文本」\n  项目「测试」\n  辖区「测试」\n  使用「common/household」\n\n参数 标准「标准」 = 700 元/月 依据「测试」 假定「示例」\n输出 amount = 标准\n';
    const r = await request(t.app).post('/api/check').send({ source });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.body.info.id).toBe('jt');
    expect(r.body.info.title).toBe('JSON 文本');
    expect(r.body.info.parameters.map((p: { name: string }) => p.name)).toEqual(['标准']);
    expect(r.body.errors).toBe(r.body.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length);
    const d = await request(t.app).post('/api/policies/fx-dibao/draft/check').send({ source });
    expect(d.status).toBe(200);
    expect(d.body.policy).toBe('fx-dibao');
    expect(d.body.info).toEqual(r.body.info);
  });

  it('the listing shows the header digest of a new policy: title and the one assumed parameter', async () => {
    const t = await boundedApp();
    const source = '政策 jt「JSON 文本」\n  项目「测试」\n  辖区「测试区」\n  使用「common/household」\n\n参数 标准「标准」 = 700 元/月 依据「测试」 假定「示例」\n输出 amount = 标准\n';
    expect((await request(t.app).post('/api/policies').send({ id: 'jt', source })).status).toBe(201);
    const list = await request(t.app).get('/api/policies');
    const jt = list.body.policies.find((p: { id: string }) => p.id === 'jt');
    expect(jt).toMatchObject({ title: 'JSON 文本', program: '测试', jurisdiction: '测试区', assumed_parameters: 1, latest_version: null });
  });
});
