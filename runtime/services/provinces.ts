// Provincial-level divisions outside the division table (divisions.ts holds Ningxia, Qinghai and
// the XPCC only). Routing needs to tell a real place elsewhere in China (a hukou in 甘肃, code
// 62xxxx) from a misspelt name: the first is a household this system does not handle (apply at
// the place of hukou), the second an input error with a suggestion. Codes are the first two
// digits of GB/T 2260; the names are the short and full forms in common use.
export interface Province { prefix: string; name: string; full: string; en: string }

export const OTHER_PROVINCES: readonly Province[] = [
  { prefix: '11', name: '北京', full: '北京市', en: 'Beijing' },
  { prefix: '12', name: '天津', full: '天津市', en: 'Tianjin' },
  { prefix: '13', name: '河北', full: '河北省', en: 'Hebei' },
  { prefix: '14', name: '山西', full: '山西省', en: 'Shanxi' },
  { prefix: '15', name: '内蒙古', full: '内蒙古自治区', en: 'Inner Mongolia' },
  { prefix: '21', name: '辽宁', full: '辽宁省', en: 'Liaoning' },
  { prefix: '22', name: '吉林', full: '吉林省', en: 'Jilin' },
  { prefix: '23', name: '黑龙江', full: '黑龙江省', en: 'Heilongjiang' },
  { prefix: '31', name: '上海', full: '上海市', en: 'Shanghai' },
  { prefix: '32', name: '江苏', full: '江苏省', en: 'Jiangsu' },
  { prefix: '33', name: '浙江', full: '浙江省', en: 'Zhejiang' },
  { prefix: '34', name: '安徽', full: '安徽省', en: 'Anhui' },
  { prefix: '35', name: '福建', full: '福建省', en: 'Fujian' },
  { prefix: '36', name: '江西', full: '江西省', en: 'Jiangxi' },
  { prefix: '37', name: '山东', full: '山东省', en: 'Shandong' },
  { prefix: '41', name: '河南', full: '河南省', en: 'Henan' },
  { prefix: '42', name: '湖北', full: '湖北省', en: 'Hubei' },
  { prefix: '43', name: '湖南', full: '湖南省', en: 'Hunan' },
  { prefix: '44', name: '广东', full: '广东省', en: 'Guangdong' },
  { prefix: '45', name: '广西', full: '广西壮族自治区', en: 'Guangxi' },
  { prefix: '46', name: '海南', full: '海南省', en: 'Hainan' },
  { prefix: '50', name: '重庆', full: '重庆市', en: 'Chongqing' },
  { prefix: '51', name: '四川', full: '四川省', en: 'Sichuan' },
  { prefix: '52', name: '贵州', full: '贵州省', en: 'Guizhou' },
  { prefix: '53', name: '云南', full: '云南省', en: 'Yunnan' },
  { prefix: '54', name: '西藏', full: '西藏自治区', en: 'Tibet' },
  { prefix: '61', name: '陕西', full: '陕西省', en: 'Shaanxi' },
  { prefix: '62', name: '甘肃', full: '甘肃省', en: 'Gansu' },
  { prefix: '65', name: '新疆', full: '新疆维吾尔自治区', en: 'Xinjiang' },
  { prefix: '71', name: '台湾', full: '台湾省', en: 'Taiwan' },
  { prefix: '81', name: '香港', full: '香港特别行政区', en: 'Hong Kong' },
  { prefix: '82', name: '澳门', full: '澳门特别行政区', en: 'Macao' },
];

/** Words a household record uses for "a province other than the one of residence". */
const ELSEWHERE = new Set(['外省', '省外', '区外', '外省市', '外地']);

/** A place outside the table that is a real place, not a misspelling: a province elsewhere in
 *  China (by code, short or full name, or a full name that starts with it, e.g. 甘肃省兰州市), or
 *  a word meaning "another province". */
export function placeElsewhere(text: string): { zh: string; en: string; prefix?: string } | undefined {
  const t = text.trim();
  if (ELSEWHERE.has(t)) return { zh: t, en: 'another province' };
  const p = /^\d{6}$/.test(t)
    ? OTHER_PROVINCES.find((x) => t.startsWith(x.prefix))
    : OTHER_PROVINCES.find((x) => t === x.name || t.startsWith(x.full) || (t.startsWith(x.name) && t.length > x.name.length && !t.startsWith(x.name + '生产')));
  return p ? { zh: p.full, en: p.en, prefix: p.prefix } : undefined;
}
