// The administrative divisions the programmes in policies/ cover, GB/T 2260 style: province →
// prefecture → county, six-digit codes (province XX0000, prefecture XXXX00). The Xinjiang
// Production and Construction Corps (兵团) is not a GB/T 2260 division: it is its own unit here
// under 660000 (the code the brief and the corps' own statistics use), with no parent.
// Only what routing needs: the counties named in the seeds, their parents, and the
// neighbouring counties a household is likely to come from (hukou elsewhere in the province).

export interface Division {
  code: string;
  /** Full Chinese name as a policy's 辖区 writes it at this level (e.g. 大武口区). */
  name: string;
  nameEn: string;
  /** null for a province-level unit (and the XPCC). */
  parent: string | null;
  /** Other ways households and policies write it (short provincial names, 宁夏, 兵团). */
  aliases?: string[];
}

export const DIVISIONS: readonly Division[] = [
  // 宁夏回族自治区 (seeds 000, 001, 003)
  { code: '640000', name: '宁夏回族自治区', nameEn: 'Ningxia Hui Autonomous Region', parent: null, aliases: ['宁夏'] },
  { code: '640100', name: '银川市', nameEn: 'Yinchuan', parent: '640000' },
  { code: '640104', name: '兴庆区', nameEn: 'Xingqing District', parent: '640100' },
  { code: '640105', name: '西夏区', nameEn: 'Xixia District', parent: '640100' },
  { code: '640106', name: '金凤区', nameEn: 'Jinfeng District', parent: '640100' },
  { code: '640200', name: '石嘴山市', nameEn: 'Shizuishan', parent: '640000' },
  { code: '640202', name: '大武口区', nameEn: 'Dawukou District', parent: '640200' },
  { code: '640205', name: '惠农区', nameEn: 'Huinong District', parent: '640200' },
  { code: '640221', name: '平罗县', nameEn: 'Pingluo County', parent: '640200' },
  { code: '640300', name: '吴忠市', nameEn: 'Wuzhong', parent: '640000' },
  { code: '640302', name: '利通区', nameEn: 'Litong District', parent: '640300' },
  { code: '640303', name: '红寺堡区', nameEn: 'Hongsibu District', parent: '640300' },
  { code: '640323', name: '盐池县', nameEn: 'Yanchi County', parent: '640300' },
  { code: '640324', name: '同心县', nameEn: 'Tongxin County', parent: '640300' },
  { code: '640381', name: '青铜峡市', nameEn: 'Qingtongxia', parent: '640300' },
  { code: '640400', name: '固原市', nameEn: 'Guyuan', parent: '640000' },
  { code: '640402', name: '原州区', nameEn: 'Yuanzhou District', parent: '640400' },
  { code: '640422', name: '西吉县', nameEn: 'Xiji County', parent: '640400' },
  { code: '640500', name: '中卫市', nameEn: 'Zhongwei', parent: '640000' },
  { code: '640502', name: '沙坡头区', nameEn: 'Shapotou District', parent: '640500' },
  { code: '640521', name: '中宁县', nameEn: 'Zhongning County', parent: '640500' },
  { code: '640522', name: '海原县', nameEn: 'Haiyuan County', parent: '640500' },
  // 青海省 (seed 002)
  { code: '630000', name: '青海省', nameEn: 'Qinghai Province', parent: null, aliases: ['青海'] },
  { code: '630100', name: '西宁市', nameEn: 'Xining', parent: '630000' },
  { code: '630102', name: '城东区', nameEn: 'Chengdong District', parent: '630100' },
  { code: '630103', name: '城中区', nameEn: 'Chengzhong District', parent: '630100' },
  { code: '630104', name: '城西区', nameEn: 'Chengxi District', parent: '630100' },
  { code: '630105', name: '城北区', nameEn: 'Chengbei District', parent: '630100' },
  { code: '630200', name: '海东市', nameEn: 'Haidong', parent: '630000' },
  { code: '630202', name: '乐都区', nameEn: 'Ledu District', parent: '630200' },
  { code: '630203', name: '平安区', nameEn: 'Ping\'an District', parent: '630200' },
  // 新疆生产建设兵团 (seed 004): its own unit; households give 660000, the name, or their
  // division (师: the corps' divisions have no GB/T 2260 codes of their own, and the corps-level
  // policy covers them all)
  { code: '660000', name: '新疆生产建设兵团', nameEn: 'Xinjiang Production and Construction Corps', parent: null,
    aliases: ['兵团', ...['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四'].map((n) => `第${n}师`)] },
];
