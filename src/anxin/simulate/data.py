"""The demo's tables: categories, shops, product templates, shipping templates, personalization questions,
names and streets.

Plain data with no Django imports: the builder turns it into rows through the services, and a reader can
see at a glance what the demo marketplace holds. Prices are in yuan here only because that is how a person
writes them; the builder converts them to fen (shipping templates are kept in fen, the shape the logistics
service takes, but written through helpers that take yuan).
"""

from dataclasses import dataclass

# --- fixed logins (printed at the end of `anxin demo`, documented in README) ----------------------------

OPS_LOGIN = ("ops", "anxin-ops-2026")
BUYER_LOGIN = ("buyer", "anxin-buyer-2026")
SELLER_LOGIN = ("seller", "anxin-seller-2026")
COURIER_LOGIN = ("courier", "anxin-courier-2026")
CARRIER_LOGIN = ("carrier", "anxin-carrier-2026")  # the carriers' scan feed (picked up ... delivered)
# Every other generated user (shop staff `seller-<shop>`, buyers `buyer-<province>-<n>`) shares this one.
SHARED_PASSWORD = "anxin-demo-2026"
FIXED_USERNAMES = (OPS_LOGIN[0], BUYER_LOGIN[0], SELLER_LOGIN[0], COURIER_LOGIN[0], CARRIER_LOGIN[0])


# --- categories -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryRow:
    slug: str
    name: str
    name_en: str
    parent: str = ""  # slug of the parent; "" for a top-level category


CATEGORIES: tuple[CategoryRow, ...] = (
    CategoryRow("fashion", "服饰鞋包", "Fashion, shoes & bags"),
    CategoryRow("womenswear", "女装", "Womenswear", "fashion"),
    CategoryRow("menswear", "男装", "Menswear", "fashion"),
    CategoryRow("shoes", "鞋靴", "Shoes", "fashion"),
    CategoryRow("bags", "箱包", "Bags & luggage", "fashion"),
    CategoryRow("beauty", "美妆个护", "Beauty & personal care"),
    CategoryRow("makeup", "彩妆", "Make-up", "beauty"),
    CategoryRow("fragrance", "香水香氛", "Fragrance", "beauty"),
    CategoryRow("skincare", "护肤", "Skincare", "beauty"),
    CategoryRow("fresh", "生鲜水果", "Fresh produce"),
    CategoryRow("fruit", "水果", "Fruit", "fresh"),
    CategoryRow("appliances", "家用电器", "Home appliances"),
    CategoryRow("kitchen-appliances", "厨房电器", "Kitchen appliances", "appliances"),
    CategoryRow("home-appliances", "生活电器", "Household appliances", "appliances"),
    CategoryRow("care-appliances", "个护电器", "Personal-care appliances", "appliances"),
    CategoryRow("baby-toys", "母婴玩具", "Baby & toys"),
    CategoryRow("plush-toys", "毛绒玩具", "Plush toys", "baby-toys"),
    CategoryRow("educational-toys", "益智玩具", "Educational toys", "baby-toys"),
    CategoryRow("baby-care", "婴童用品", "Baby care", "baby-toys"),
    CategoryRow("food-drinks", "食品饮料", "Food & drinks"),
    CategoryRow("tea", "茶叶", "Tea", "food-drinks"),
    CategoryRow("snacks", "零食坚果", "Snacks & nuts", "food-drinks"),
    CategoryRow("specialty-food", "地方特产", "Regional specialities", "food-drinks"),
    CategoryRow("sports", "运动户外", "Sports & outdoors"),
    CategoryRow("football", "足球装备", "Football", "sports"),
    CategoryRow("outdoor", "户外装备", "Outdoor gear", "sports"),
    CategoryRow("home", "家居日用", "Home & living"),
    CategoryRow("bedding", "床上用品", "Bedding", "home"),
    CategoryRow("tableware", "餐具茶具", "Tableware & tea sets", "home"),
    CategoryRow("storage", "收纳整理", "Storage", "home"),
)


# --- product templates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Axis:
    """One spec attribute of a product's SKUs (颜色, 尺码, 容量 ...).

    `factors` scale a SKU's price and weight (a 100ml bottle costs more than a 30ml one); `pick` says how a
    product chooses its values: "some" a few in order, "window" a consecutive run (sizes), "all" every one.
    """

    name: str
    values: tuple[str, ...]
    factors: tuple[float, ...] = ()
    pick: str = "some"


@dataclass(frozen=True)
class ProductTemplate:
    category: str
    titles: tuple[str, ...]
    title_en: str
    axes: tuple[Axis, ...]
    price_yuan: tuple[int, int]
    weight_g: int
    description: str = ""
    is_fresh: bool = False
    no_reason_return: str = "yes"
    handling_hours: int = 48
    questions: str = ""  # a key of QUESTION_SETS
    remote_deliverable: bool = True  # False: the merchant does not send it to remote regions (RULES §4)


def _sizes(first: int, last: int) -> tuple[str, ...]:
    return tuple(str(size) for size in range(first, last + 1))


CLOTHES_SIZES = Axis("尺码", ("S", "M", "L", "XL", "XXL"), pick="window")
MENS_SIZES = Axis("尺码", ("M", "L", "XL", "XXL", "3XL"), pick="window")
SHOE_SIZES = Axis("尺码", _sizes(35, 45), pick="window")
FRUIT_PACKS = Axis("规格", ("2.5kg 尝鲜装", "5kg 家庭装", "10kg 整箱装"), (1.0, 1.8, 3.2), pick="all")
DRY_PACKS = Axis("规格", ("250g", "500g", "1kg"), (1.0, 1.8, 3.3), pick="all")
TEA_PACKS = Axis("规格", ("100g", "250g 礼盒", "500g"), (1.0, 2.3, 4.2), pick="all")
BOTTLES = Axis("容量", ("30ml", "50ml", "100ml"), (1.0, 1.5, 2.4), pick="all")
CARE_PACKS = Axis("规格", ("标准装", "加量装", "两件装"), (1.0, 1.4, 1.9), pick="all")

TEMPLATES: dict[str, ProductTemplate] = {
    # 运动户外
    "football_boots": ProductTemplate(
        "football",
        (
            "定制印字足球鞋 TF碎钉 人造草训练鞋",
            "定制印字足球鞋 AG短钉 成人比赛款",
            "定制印字足球鞋 FG长钉 天然草专业款",
            "儿童定制足球鞋 TF碎钉 青训款",
            "定制印字足球鞋 低帮轻量 速度型",
        ),
        "Personalised football boots (name printed on the tongue)",
        (Axis("颜色", ("荧光黄", "黑金", "白蓝", "烈焰红")), SHOE_SIZES),
        (199, 459),
        750,
        "鞋舌可印名字或号码，工厂激光热印，下单后 72 小时内发货。",
        no_reason_return="no",
        handling_hours=72,
        questions="boots",
    ),
    "football_jersey": ProductTemplate(
        "football",
        ("定制足球服 印名字号码 速干短袖套装", "守门员定制球衣 长袖 印名字号码", "儿童足球服套装 定制印号"),
        "Personalised football kit",
        (Axis("颜色", ("主场红", "客场白", "深海蓝")), CLOTHES_SIZES),
        (89, 169),
        300,
        "速干面料，背后印名字与号码，球队团购请联系客服。",
        handling_hours=72,
        questions="jersey",
    ),
    "football_gear": ProductTemplate(
        "football",
        (
            "5号足球 PU机缝 比赛训练用球",
            "4号儿童足球 耐磨防滑",
            "护腿板 插片式 轻量护具",
            "足球袜 长筒防滑 加厚毛巾底",
            "足球训练标志桶 10只装",
        ),
        "Football training gear",
        (Axis("颜色", ("黑白", "蓝白", "荧光绿")),),
        (29, 129),
        450,
        "球队训练常备，耐磨耐用。",
    ),
    "outdoor": ProductTemplate(
        "outdoor",
        ("冲锋衣 三合一 防风防水", "户外帐篷 自动速开 3-4人", "登山杖 碳纤维 超轻折叠", "户外登山包 40L 轻量"),
        "Outdoor gear",
        (Axis("颜色", ("黑色", "军绿", "卡其", "橙色")),),
        (89, 699),
        1500,
        "徒步露营一站配齐。",
    ),
    # 美妆个护
    "custom_perfume": ProductTemplate(
        "fragrance",
        (
            "定制香水 三种香调自由搭配 瓶身可刻字",
            "定制香水礼盒 三香调调配 附手写卡片",
            "情侣定制香水 三香调 刻字礼盒",
        ),
        "Custom perfume: choose three notes, engraved bottle",
        (BOTTLES,),
        (268, 398),
        260,
        "调香师按你选的三种香调现调现灌，瓶身可刻一句话。定制商品不支持七天无理由退货。",
        no_reason_return="no",
        handling_hours=72,
        questions="perfume",
    ),
    "perfume": ProductTemplate(
        "fragrance",
        (
            "淡香水 白茶与无花果 清新持久",
            "浓香水 乌木沉香 中性木质调",
            "淡香水 栀子花开 花香调",
            "香薰蜡烛 大豆蜡 无火香薰礼盒",
            "车载香薰 雪松檀香 持久留香",
        ),
        "Eau de parfum",
        (BOTTLES,),
        (129, 459),
        220,
        "前中后调层次分明，留香 6 小时以上。",
        no_reason_return="unopened",
    ),
    "lipstick": ProductTemplate(
        "makeup",
        (
            "丝绒哑光口红 不易掉色 显白",
            "滋润唇膏口红 水光镜面",
            "唇釉 雾面丝绒 不沾杯",
            "小金条口红 哑光显色",
            "口红礼盒 五支装 节日礼物",
        ),
        "Lipstick",
        (
            Axis(
                "颜色",
                (
                    "#101 正红",
                    "#205 豆沙色",
                    "#316 枫叶红",
                    "#520 烂番茄",
                    "#666 蜜桃粉",
                    "#888 复古红棕",
                    "#213 奶茶裸色",
                ),
            ),
        ),
        (79, 239),
        45,
        "高显色，薄涂日常，厚涂气场。",
        no_reason_return="unopened",
    ),
    "eyeshadow": ProductTemplate(
        "makeup",
        ("九色眼影盘 大地色 珠光哑光", "十二色眼影盘 日常通勤", "四色眼影 小巧便携"),
        "Eyeshadow palette",
        (Axis("颜色", ("大地色", "蜜桃色", "玫瑰色", "南瓜色")),),
        (99, 219),
        120,
        "粉质细腻，易晕染不飞粉。",
        no_reason_return="unopened",
    ),
    "cushion": ProductTemplate(
        "makeup",
        ("气垫BB霜 遮瑕持妆", "粉底液 持妆控油 混油皮适用", "散粉 定妆控油 细腻"),
        "Cushion foundation",
        (Axis("颜色", ("象牙白", "自然色", "小麦色")),),
        (129, 269),
        90,
        "轻薄服帖，一整天不暗沉。",
        no_reason_return="unopened",
    ),
    "skincare": ProductTemplate(
        "skincare",
        (
            "玻尿酸补水面膜 20片装",
            "烟酰胺精华液 提亮肤色",
            "保湿面霜 修护屏障",
            "氨基酸洗面奶 温和清洁",
            "防晒霜 SPF50+ 清爽不油腻",
        ),
        "Skincare",
        (CARE_PACKS,),
        (59, 299),
        150,
        "敏感肌可用，无酒精无香精。",
        no_reason_return="unopened",
    ),
    # 生鲜水果
    "yunnan_fruit": ProductTemplate(
        "fruit",
        (
            "云南冰糖橙 现摘现发 新鲜甜橙",
            "蒙自石榴 突尼斯软籽石榴",
            "华坪芒果 新鲜当季 树上熟",
            "云南高原红提 脆甜无籽",
            "云南沃柑 爆汁 薄皮",
        ),
        "Yunnan fruit, picked to order",
        (FRUIT_PACKS,),
        (39, 99),
        2600,
        "产地现摘，顺丰冷链发货；坏果包赔，拍照联系客服。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=24,
    ),
    "berries": ProductTemplate(
        "fruit",
        ("云南蓝莓 大果 现摘鲜果", "丹东草莓 红颜奶油草莓", "云南树莓 新鲜覆盆子"),
        "Fresh berries",
        (Axis("规格", ("125g×4盒", "125g×8盒", "125g×12盒"), (1.0, 1.9, 2.7), pick="all"),),
        (49, 129),
        650,
        "冷链锁鲜，48 小时内送达大部分城市；经中转仓路途太长，不发偏远地区。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=12,
        remote_deliverable=False,
    ),
    "xinjiang_fruit": ProductTemplate(
        "fruit",
        ("哈密瓜 新疆西州蜜 现摘", "阿克苏冰糖心苹果 脆甜多汁", "库尔勒香梨 新鲜薄皮", "新疆无核白葡萄 现摘"),
        "Xinjiang fruit",
        (FRUIT_PACKS,),
        (49, 119),
        2800,
        "天山脚下的阳光与昼夜温差，甜得自然。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=24,
    ),
    "yantai_fruit": ProductTemplate(
        "fruit",
        ("烟台红富士苹果 栖霞脆甜", "烟台大樱桃 美早 JJ级", "莱阳梨 新鲜脆甜", "烟台蓬莱 玫瑰香葡萄"),
        "Yantai fruit",
        (FRUIT_PACKS,),
        (49, 159),
        2600,
        "胶东半岛果园直发，大樱桃当天采摘当天发货。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=24,
    ),
    "hainan_fruit": ProductTemplate(
        "fruit",
        ("海南贵妃芒 新鲜当季", "海南椰青 现砍现发", "三亚树上熟菠萝蜜", "海南金钻凤梨 无眼", "海南莲雾 黑金刚"),
        "Hainan tropical fruit",
        (FRUIT_PACKS,),
        (39, 129),
        2800,
        "热带阳光下自然成熟，顺丰空运；不发偏远地区。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=24,
        remote_deliverable=False,
    ),
    "gannan_oranges": ProductTemplate(
        "fruit",
        ("赣南脐橙 现摘现发 果园直发", "赣南脐橙 礼盒装 精选大果", "寻乌蜜桔 薄皮多汁", "赣南血橙 红肉"),
        "Gannan navel oranges",
        (FRUIT_PACKS,),
        (39, 99),
        2600,
        "国家地理标志产品，果园直发不经中间商。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=24,
    ),
    "kiwi": ProductTemplate(
        "fruit",
        ("周至红心猕猴桃 软糯香甜", "徐香猕猴桃 绿心 新鲜", "眉县翠香猕猴桃 当季"),
        "Shaanxi kiwifruit",
        (FRUIT_PACKS,),
        (39, 89),
        2600,
        "秦岭北麓果园，收到后常温放软即可食用。",
        is_fresh=True,
        no_reason_return="no",
        handling_hours=24,
    ),
    # 家用电器
    "kitchen_appliances": ProductTemplate(
        "kitchen-appliances",
        (
            "智能电饭煲 4L 球釜内胆 预约定时",
            "空气炸锅 5L 可视窗 无油低脂",
            "电热水壶 1.7L 304不锈钢 保温",
            "破壁豆浆机 免滤 1.2L",
            "多功能料理锅 电火锅 分体式",
            "电炖锅 陶瓷内胆 3L 煲汤",
        ),
        "Kitchen appliance",
        (Axis("颜色", ("奶白色", "樱花粉", "雾霾蓝")),),
        (129, 599),
        3200,
        "顺德工厂直供，整机一年保修，三个月只换不修。",
    ),
    "home_appliances": ProductTemplate(
        "home-appliances",
        (
            "桌面小风扇 静音 USB充电",
            "除螨仪 家用床上 紫外线",
            "加湿器 大容量 静音卧室",
            "无线吸尘器 手持 大吸力",
            "暖风机 家用 节能速热",
        ),
        "Household appliance",
        (Axis("颜色", ("白色", "浅灰", "薄荷绿")),),
        (69, 999),
        2000,
        "整机一年保修，全国联保。",
    ),
    "care_appliances": ProductTemplate(
        "care-appliances",
        (
            "高速吹风机 负离子 大风力",
            "声波电动牙刷 五档模式 长续航",
            "电动剃须刀 三刀头 全身水洗",
            "冲牙器 便携 家用",
            "直板夹 卷直两用 陶瓷涂层",
        ),
        "Personal-care appliance",
        (Axis("颜色", ("星空黑", "珍珠白", "樱花粉")),),
        (99, 699),
        600,
        "深圳研发，两年质保。",
        no_reason_return="unopened",
    ),
    # 母婴玩具
    "plush": ProductTemplate(
        "plush-toys",
        (
            "毛绒熊猫公仔 可刺绣名字",
            "长颈鹿安抚玩偶 婴儿可入口",
            "毛绒兔子 长耳朵 生日礼物",
            "恐龙抱枕 超大号 可刺绣名字",
            "柯基小狗公仔 毛绒玩具",
        ),
        "Plush toy, name embroidered on request",
        (Axis("尺寸", ("30cm", "45cm", "60cm", "80cm"), (1.0, 1.5, 2.2, 3.2), pick="window"),),
        (49, 99),
        300,
        "PP 棉填充，面料通过婴幼儿安全标准；可免费刺绣名字（选填）。",
        handling_hours=48,
        questions="plush",
    ),
    "edu_toys": ProductTemplate(
        "educational-toys",
        (
            "拼装积木 城市系列 小颗粒",
            "遥控越野车 四驱 充电版",
            "木质拼图 儿童早教 100片",
            "磁力片 百变 益智",
            "儿童画板 磁性写字板",
        ),
        "Educational toy",
        (Axis("规格", ("基础款", "豪华款"), (1.0, 1.7), pick="all"),),
        (59, 299),
        900,
        "澄海玩具厂直发，3C 认证。",
    ),
    "baby_care": ProductTemplate(
        "baby-care",
        (
            "婴儿纸尿裤 超薄透气 L码",
            "宽口径玻璃奶瓶 防胀气",
            "婴儿湿巾 手口专用 80抽",
            "儿童保温杯 吸管 316不锈钢",
            "婴儿连体衣 纯棉 春秋款",
        ),
        "Baby care",
        (Axis("规格", ("单包装", "三包装"), (1.0, 2.7), pick="all"),),
        (39, 199),
        800,
        "宝宝用品，安全第一。",
        no_reason_return="unopened",
    ),
    # 食品饮料
    "xinjiang_dried": ProductTemplate(
        "snacks",
        ("新疆和田大枣 骏枣 一级", "吐鲁番葡萄干 无核白 免洗", "新疆巴旦木 薄壳 奶香味", "新疆纸皮核桃 185"),
        "Xinjiang dried fruit & nuts",
        (DRY_PACKS,),
        (29, 69),
        550,
        "新疆产地直发，偏远地区也包邮。",
        no_reason_return="unopened",
    ),
    "sichuan_food": ProductTemplate(
        "specialty-food",
        (
            "重庆火锅底料 牛油麻辣",
            "手撕麻辣牛肉干 灯影风味",
            "郫县豆瓣酱 三年陈酿",
            "四川麻辣香肠 农家自制",
            "自贡冷吃兔 麻辣鲜香",
        ),
        "Sichuan specialities",
        (Axis("口味", ("微辣", "中辣", "特辣")), Axis("规格", ("单袋装", "三袋装"), (1.0, 2.7), pick="all")),
        (19, 69),
        500,
        "巴蜀味道，辣度可选。",
        no_reason_return="unopened",
    ),
    "tea_wuyi": ProductTemplate(
        "tea",
        (
            "武夷山大红袍 岩茶 浓香型",
            "正山小种 红茶 桐木关",
            "福鼎白茶 白牡丹 饼茶",
            "金骏眉 红茶 礼盒装",
            "武夷肉桂 岩茶 特级",
        ),
        "Wuyi tea",
        (TEA_PACKS,),
        (98, 398),
        150,
        "核心产区，传统炭焙。",
        no_reason_return="unopened",
    ),
    "tea_guizhou": ProductTemplate(
        "tea",
        ("都匀毛尖 明前特级 绿茶", "湄潭翠芽 绿茶 春茶", "遵义红 红茶 礼盒", "贵州古树白茶 饼茶"),
        "Guizhou tea",
        (TEA_PACKS,),
        (68, 298),
        150,
        "高海拔云雾茶园，明前采摘。",
        no_reason_return="unopened",
    ),
    "rice": ProductTemplate(
        "specialty-food",
        ("五常大米 稻花香2号 当季新米", "五常有机大米 真空包装", "东北珍珠米 圆粒 软糯"),
        "Wuchang rice",
        (Axis("规格", ("2.5kg", "5kg", "10kg"), (1.0, 1.9, 3.6), pick="all"),),
        (39, 89),
        2600,
        "黑土地一年一季，溯源可查。",
        no_reason_return="unopened",
    ),
    "northeast_dried": ProductTemplate(
        "specialty-food",
        ("东北黑木耳 秋耳 肉厚无根", "长白山榛蘑 干货", "东北开口松子 手剥"),
        "North-east dried goods",
        (DRY_PACKS,),
        (29, 99),
        300,
        "长白山林下采集，自然晾晒。",
        no_reason_return="unopened",
    ),
    "grassland": ProductTemplate(
        "snacks",
        ("内蒙古风干牛肉干 手撕", "草原奶片 高钙 独立包装", "奶酪棒 原制", "奶皮子 传统手工"),
        "Inner Mongolia snacks",
        (Axis("口味", ("原味", "香辣")), Axis("规格", ("250g", "500g"), (1.0, 1.9), pick="all")),
        (39, 129),
        550,
        "锡林郭勒草原牧场，传统风干。",
        no_reason_return="unopened",
    ),
    "cashmere": ProductTemplate(
        "womenswear",
        ("羊绒围巾 纯色 加厚保暖", "羊绒衫 圆领 男女同款", "羊毛袜 加厚 冬季 三双装"),
        "Cashmere",
        (Axis("颜色", ("驼色", "浅灰", "酒红", "藏青")),),
        (99, 899),
        250,
        "内蒙古白山羊绒，柔软不扎。",
    ),
    "goji": ProductTemplate(
        "specialty-food",
        ("中宁枸杞 特级 头茬红枸杞", "宁夏黑枸杞 大果", "枸杞原浆 鲜果压榨 30袋", "枸杞芽茶 宁夏特产"),
        "Ningxia goji",
        (DRY_PACKS,),
        (39, 159),
        550,
        "中宁核心产区，头茬鲜果晾晒。",
        no_reason_return="unopened",
    ),
    "shaanxi_dried": ProductTemplate(
        "specialty-food",
        ("秦岭土蜂蜜 百花蜜", "商洛薄皮核桃 原味", "柞水黑木耳 小碗耳"),
        "Qinling mountain goods",
        (DRY_PACKS,),
        (39, 129),
        550,
        "秦岭深山，自然生长。",
        no_reason_return="unopened",
    ),
    "tibet": ProductTemplate(
        "specialty-food",
        ("牦牛肉干 风干 手撕", "青稞饼干 高原特产 无蔗糖", "藏式酥油茶 冲饮", "林芝松茸 干片"),
        "Tibetan specialities",
        (DRY_PACKS,),
        (39, 299),
        550,
        "雪域高原原产，经西安中转发往全国。",
        no_reason_return="unopened",
    ),
    "luosifen": ProductTemplate(
        "specialty-food",
        ("柳州螺蛳粉 正宗 加臭加辣", "桂林米粉 干米粉 原汤", "南宁老友粉 酸辣", "广西酸嘢 酸辣小食"),
        "Guangxi rice noodles",
        (Axis("规格", ("3袋装", "5袋装", "10袋装"), (1.0, 1.6, 3.0), pick="all"),),
        (29, 89),
        1000,
        "柳州本地工厂直发，汤料足。",
        no_reason_return="unopened",
    ),
    # 服饰鞋包
    "silk": ProductTemplate(
        "womenswear",
        (
            "真丝连衣裙 法式复古碎花",
            "桑蚕丝衬衫 通勤 长袖",
            "真丝围巾 杭州丝绸 礼盒装",
            "真丝睡衣套装 夏季",
            "香云纱半身裙 高腰 新中式",
        ),
        "Hangzhou silk",
        (Axis("颜色", ("月白", "墨绿", "酒红", "藏青")), CLOTHES_SIZES),
        (299, 899),
        250,
        "22 姆米重磅真丝，杭州本地工坊出品。",
    ),
    "haipai": ProductTemplate(
        "womenswear",
        (
            "双面呢羊毛大衣 中长款",
            "针织开衫 温柔风 宽松",
            "阔腿西装裤 垂感 高腰",
            "改良旗袍 日常 新中式",
            "赫本风小黑裙 连衣裙",
        ),
        "Shanghai womenswear",
        (Axis("颜色", ("黑色", "燕麦色", "雾霾蓝")), CLOTHES_SIZES),
        (199, 1299),
        500,
        "海派剪裁，通勤与约会两相宜。",
    ),
    "menswear": ProductTemplate(
        "menswear",
        (
            "纯棉短袖T恤 重磅 宽松",
            "商务衬衫 免烫 长袖",
            "连帽卫衣 加绒 潮牌",
            "休闲裤 直筒 弹力",
            "白鸭绒羽绒服 短款",
        ),
        "Menswear",
        (Axis("颜色", ("黑色", "白色", "藏青", "灰色")), MENS_SIZES),
        (79, 699),
        450,
        "广州十三行设计，自有工厂。",
    ),
    "leather_shoes": ProductTemplate(
        "shoes",
        (
            "男士真皮商务皮鞋 系带正装",
            "女士单鞋 尖头低跟 通勤",
            "男士休闲鞋 头层牛皮 软底",
            "乐福鞋 一脚蹬",
            "切尔西靴 真皮短靴",
        ),
        "Leather shoes",
        (Axis("颜色", ("黑色", "棕色")), SHOE_SIZES),
        (199, 699),
        900,
        "温州老鞋厂，手工绷楦。",
    ),
    "bags": ProductTemplate(
        "bags",
        (
            "双肩包 大容量 防泼水 通勤",
            "女士斜挎包 真皮小方包",
            "拉杆箱 20寸 登机箱 万向轮",
            "男士手提公文包 商务",
            "帆布托特包 大容量",
        ),
        "Bags",
        (Axis("颜色", ("黑色", "灰色", "卡其色", "藏青")),),
        (89, 599),
        1200,
        "白沟箱包源头工厂。",
    ),
    # 家居日用
    "bedding": ProductTemplate(
        "bedding",
        (
            "纯棉四件套 全棉斜纹",
            "100%桑蚕丝被 春秋被",
            "乳胶枕 护颈 成人",
            "夏凉被 空调被 可水洗",
            "水洗棉四件套 简约纯色",
        ),
        "Bedding",
        (
            Axis("颜色", ("浅灰", "米白", "雾蓝", "豆沙粉")),
            Axis("尺码", ("1.5m床", "1.8m床", "2.0m床"), (1.0, 1.2, 1.4), pick="window"),
        ),
        (199, 899),
        2500,
        "南通家纺产业带，A 类母婴标准面料。",
    ),
    "porcelain": ProductTemplate(
        "tableware",
        (
            "釉下彩餐具套装 家用 28头",
            "功夫茶具套装 手绘白瓷",
            "青花瓷饭碗 4只装",
            "陶瓷茶杯 主人杯 手工",
            "玲珑瓷 汤碗 礼盒",
        ),
        "Liling porcelain",
        (Axis("花色", ("青花", "玲珑", "釉下五彩")),),
        (49, 699),
        2800,
        "醴陵釉下五彩，无铅无镉。",
    ),
    "porcelain_mug": ProductTemplate(
        "tableware",
        ("骨瓷马克杯 情侣款 可刻字", "手绘陶瓷杯 生日礼物 可刻字"),
        "Engraved porcelain mug",
        (Axis("花色", ("白瓷", "青花", "描金")),),
        (59, 129),
        450,
        "杯身可刻一句话（选填）。",
        questions="engraving",
    ),
    "storage": ProductTemplate(
        "storage",
        (
            "透明收纳箱 加厚有盖 3个装",
            "布艺衣柜收纳盒 可折叠",
            "厨房置物架 多层 免打孔",
            "亚克力桌面收纳盒 化妆品",
            "真空压缩袋 被子衣物 10只装",
        ),
        "Storage",
        (Axis("规格", ("小号", "中号", "大号"), (1.0, 1.3, 1.7), pick="all"),),
        (19, 129),
        1500,
        "义乌小商品，实惠耐用。",
    ),
}

# A template reused for more products than it has titles gets one of these after its title.
REPEAT_SUFFIXES: tuple[str, ...] = ("精选装", "经典款", "礼盒装", "升级款", "家庭装")


# --- personalization (RULES §2) --------------------------------------------------------------------------

PERFUME_NOTES: tuple[tuple[str, str, int], ...] = (  # (label, English label, surcharge in fen)
    ("玫瑰", "Rose", 0),
    ("茉莉", "Jasmine", 0),
    ("栀子花", "Gardenia", 0),
    ("白桃", "White peach", 0),
    ("柑橘", "Citrus", 0),
    ("佛手柑", "Bergamot", 0),
    ("雪松", "Cedar", 0),
    ("广藿香", "Patchouli", 0),
    ("琥珀", "Amber", 2000),
    ("檀香", "Sandalwood", 3000),
    ("鸢尾", "Iris", 4000),
    ("乌木沉香", "Oud", 6000),
)

QUESTION_SETS: dict[str, list[dict]] = {
    "boots": [
        {"kind": "text", "label": "鞋舌印字", "label_en": "Name on the tongue", "required": True, "max_chars": 12},
        {
            "kind": "choice",
            "label": "印字颜色",
            "label_en": "Print colour",
            "required": True,
            "min_select": 1,
            "max_select": 1,
            "options": [
                {"label": "白色", "label_en": "White", "price_delta_fen": 0},
                {"label": "金色", "label_en": "Gold", "price_delta_fen": 1000},
                {"label": "荧光绿", "label_en": "Neon green", "price_delta_fen": 0},
            ],
        },
    ],
    "jersey": [
        {"kind": "text", "label": "球衣印名", "label_en": "Name on the shirt", "required": True, "max_chars": 12},
        {"kind": "text", "label": "号码", "label_en": "Number", "required": True, "max_chars": 2},
    ],
    "perfume": [
        {
            "kind": "choice",
            "label": "香调（选 3 种）",
            "label_en": "Notes (choose 3)",
            "required": True,
            "min_select": 3,
            "max_select": 3,
            "options": [{"label": zh, "label_en": en, "price_delta_fen": delta} for zh, en, delta in PERFUME_NOTES],
        },
        {
            "kind": "text",
            "label": "瓶身刻字",
            "label_en": "Engraving on the bottle",
            "required": False,
            "max_chars": 20,
        },
    ],
    "plush": [{"kind": "text", "label": "刺绣名字", "label_en": "Embroidered name", "required": False, "max_chars": 8}],
    "engraving": [{"kind": "text", "label": "刻字内容", "label_en": "Engraving", "required": False, "max_chars": 10}],
}

# What buyers write, by question label; every entry fits its question's max_chars.
TEXT_ANSWERS: dict[str, tuple[str, ...]] = {
    "鞋舌印字": ("李雷", "韩梅梅", "ZHANG WEI", "XIAO MING", "追风少年", "ACE 10", "国足加油", "WANG 7", "绿茵小将"),
    "球衣印名": ("LI LEI", "CHEN", "王大锤", "ZHAO 9", "小飞侠", "LIU YANG", "老张", "MAX"),
    "号码": ("10", "7", "9", "23", "1", "11", "17", "8"),
    "瓶身刻字": ("生日快乐", "愿你被温柔以待", "纪念日快乐 爱你", "To Lin, with love", "毕业快乐", "520", "晚安"),
    "刺绣名字": ("朵朵", "小宝", "乐乐", "安安", "Mia", "糖糖", "豆豆", "Lucas"),
    "刻字内容": ("平安喜乐", "岁岁常欢愉", "Forever", "晴天", "家和万事兴"),
}


# --- shops ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shop:
    slug: str
    name: str
    province_code: str
    brand: str
    code: str  # SKU code prefix
    description: str
    templates: tuple[str, ...]  # keys of TEMPLATES; the first is the shop's signature product


# The first six cover every kind of product the demo must show, so even `--scale 0.1` has them all.
BOOTS_SHOP = "lvyin-boots"
SHOPS: tuple[Shop, ...] = (
    Shop(BOOTS_SHOP, "绿茵定制球鞋工作室", "350000", "绿茵", "LVY", "晋江鞋厂自营，球鞋印字定制。",
         ("football_boots", "football_jersey", "football_gear")),
    Shop("wenxiang-perfume", "闻香·定制香氛", "310000", "闻香", "WXP", "上海调香工作室，三种香调为你现调。",
         ("custom_perfume", "perfume")),
    Shop("caiyun-fruit", "彩云之南鲜果园", "530000", "彩云鲜", "CYF", "云南高原果园直发。",
         ("yunnan_fruit", "berries")),
    Shop("shunde-appliances", "顺德小家电旗舰店", "440000", "美厨", "SDA", "顺德家电产业带源头工厂。",
         ("kitchen_appliances", "home_appliances")),
    Shop("xizi-makeup", "西子彩妆", "330000", "西子", "XZM", "杭州国货彩妆。",
         ("lipstick", "eyeshadow", "cushion", "skincare")),
    Shop("yangzhou-plush", "扬州毛绒玩具厂店", "320000", "萌趣", "YZP", "扬州毛绒玩具之乡，可刺绣名字。",
         ("plush", "baby_care")),
    Shop("tianshan-guofang", "天山果坊", "650000", "天山", "TSG", "新疆产地直发，偏远地区照样包邮。",
         ("xinjiang_fruit", "xinjiang_dried")),
    Shop("shuwei-foods", "蜀味坊", "510000", "蜀味", "SWF", "成都老字号风味。", ("sichuan_food",)),
    Shop("hangzhou-silk", "杭州丝绸坊", "330000", "丝韵", "HZS", "杭州丝绸，一针一线。", ("silk",)),
    Shop("chenghai-toys", "澄海玩具城", "440000", "童趣岛", "CHT", "汕头澄海玩具源头。", ("edu_toys", "plush")),
    Shop("wuyi-tea", "武夷山岩茶庄", "350000", "岩韵", "WYT", "武夷山正岩茶园。", ("tea_wuyi",)),
    Shop("yantai-orchard", "烟台胶东果园", "370000", "胶东", "YTO", "栖霞果园直发。", ("yantai_fruit",)),
    Shop("hainan-fruit", "海南椰风果园", "460000", "椰风", "HNF", "热带水果，顺丰空运。", ("hainan_fruit",)),
    Shop("wuchang-rice", "五常黑土地", "230000", "黑土地", "WCR", "五常核心产区合作社。",
         ("rice", "northeast_dried")),
    Shop("caoyuan-muge", "草原牧歌", "150000", "草原牧歌", "CYM", "锡林郭勒牧场直供。", ("grassland", "cashmere")),
    Shop("haipai-fashion", "海派女装", "310000", "海派", "HPF", "上海设计师女装。", ("haipai",)),
    Shop("nantong-bedding", "南通眠语家纺", "320000", "眠语", "NTB", "南通家纺产业带。", ("bedding",)),
    Shop("guangzhou-menswear", "潮衣社男装", "440000", "潮衣社", "GZM", "广州原创男装。", ("menswear",)),
    Shop("yiwu-daily", "义乌好物百货", "330000", "义家", "YWD", "义乌小商品，好用不贵。", ("storage",)),
    Shop("liling-porcelain", "醴陵瓷坊", "430000", "醴瓷", "LLP", "醴陵釉下五彩。", ("porcelain", "porcelain_mug")),
    Shop("zhongning-goji", "中宁枸杞园", "640000", "红宝", "ZNG", "中宁枸杞核心产区。", ("goji",)),
    Shop("qinling-shanhuo", "秦岭山货铺", "610000", "秦岭", "QLS", "秦岭山里的好东西。", ("kiwi", "shaanxi_dried")),
    Shop("gannan-orange", "赣南脐橙果园", "360000", "赣南", "GNO", "赣南脐橙原产地。", ("gannan_oranges",)),
    Shop("jingcheng-baby", "京城母婴馆", "110000", "京贝", "JCB", "北京母婴专营。", ("baby_care", "plush")),
    Shop("wenzhou-shoes", "温州瓯履鞋业", "330000", "瓯履", "WZS", "温州皮鞋三十年。", ("leather_shoes",)),
    Shop("shenzhen-care", "深圳声科个护", "440000", "声科", "SZC", "深圳智能个护电器。", ("care_appliances",)),
    Shop("baigou-bags", "白沟行者箱包", "130000", "行者", "BGB", "白沟箱包产业带。", ("bags", "outdoor")),
    Shop("qianshan-tea", "黔山好茶", "520000", "黔山", "QST", "贵州高山云雾茶。", ("tea_guizhou",)),
    Shop("gaoyuan-zhenpin", "高原臻品", "540000", "高原臻品", "GYZ", "西藏高原特产。", ("tibet",)),
    Shop("liuzhou-luosifen", "柳味螺蛳粉", "450000", "柳味", "LZL", "柳州本地螺蛳粉工厂。", ("luosifen",)),
)  # fmt: skip


# --- shipping templates (运费模板) --------------------------------------------------------------------------

FAR_PROVINCES = ("23", "46")  # Heilongjiang and Hainan (across the strait): dearer for most carriers
REMOTE_PROVINCES = ("15", "54", "62", "63", "64", "65")  # priced as the hub's province anyway (RULES §4)


@dataclass(frozen=True)
class Freight:
    """One shipping template a shop writes, in fen and grams (pieces for "piece"), as `save_template` takes it.

    `products` are the keys of TEMPLATES that use it; the shop's first template with none takes the rest."""

    name: str
    mode: str = "weight"
    first_fen: int = 1000
    step_fen: int = 300
    first_units: int = 1000
    step_units: int = 1000
    regions: tuple[tuple[tuple[str, ...], int, int], ...] = ()  # (provinces, first_fen, step_fen)
    free: tuple[tuple[tuple[str, ...], str, int], ...] = ()  # (provinces or () for all, kind, threshold)
    excluded: tuple[str, ...] = ()  # provinces not delivered to (不配送)
    products: tuple[str, ...] = ()

    def as_input(self) -> dict:
        return {
            "name": self.name,
            "mode": self.mode,
            "first_units": self.first_units,
            "first_fen": self.first_fen,
            "step_units": self.step_units,
            "step_fen": self.step_fen,
            "regions": [{"provinces": list(p), "first_fen": f, "step_fen": s} for p, f, s in self.regions],
            "free": [{"provinces": list(p), "kind": kind, "threshold": t} for p, kind, t in self.free],
            "excluded_provinces": list(self.excluded),
        }


def baoyou(name: str = "全国包邮", products: tuple[str, ...] = ()) -> Freight:
    """包邮 everywhere; the fees only show in the template editor."""
    return Freight(name, free=(((), "always", 0),), products=products)


def by_weight(
    first_yuan: int,
    step_yuan: int,
    free_over_yuan: int,
    *,
    excluded: tuple[str, ...] = (),
    products: tuple[str, ...] = (),
    name: str = "",
) -> Freight:
    """First kg, each further kg; far provinces dearer; free from a merchant-order subtotal."""
    label = name or f"按重量·满{free_over_yuan}包邮"
    return Freight(
        label,
        first_fen=first_yuan * 100,
        step_fen=step_yuan * 100,
        regions=(
            (FAR_PROVINCES, (first_yuan + 6) * 100, (step_yuan + 2) * 100),
            (REMOTE_PROVINCES, (first_yuan + 12) * 100, (step_yuan + 6) * 100),
        ),
        free=(((), "subtotal", free_over_yuan * 100),),
        excluded=excluded,
        products=products,
    )


def by_piece(first_yuan: int, step_yuan: int, free_pieces: int, products: tuple[str, ...] = ()) -> Freight:
    """Small items: per piece, free from a number of pieces."""
    return Freight(
        f"小件按件·满{free_pieces}件包邮",
        mode="piece",
        first_fen=first_yuan * 100,
        step_fen=step_yuan * 100,
        first_units=1,
        step_units=1,
        regions=((FAR_PROVINCES, (first_yuan + 4) * 100, (step_yuan + 1) * 100),),
        free=(((), "pieces", free_pieces),),
        products=products,
    )


NO_TIBET = ("54",)
# Every shop's templates; the first six (in every demo) show each kind, and 彩云之南 does not deliver to Tibet.
SHOP_FREIGHT: dict[str, tuple[Freight, ...]] = {
    BOOTS_SHOP: (baoyou(), by_weight(10, 3, 99, products=("football_gear",))),
    "wenxiang-perfume": (baoyou("全国包邮·顺丰"),),
    "caiyun-fruit": (by_weight(12, 5, 99, excluded=NO_TIBET, name="冷链鲜果·满99包邮（西藏不配送）"),),
    "shunde-appliances": (by_weight(10, 4, 199), by_weight(9, 3, 99, products=("home_appliances",))),
    "xizi-makeup": (by_piece(6, 1, 2), baoyou("护肤品包邮", products=("skincare",))),
    "yangzhou-plush": (baoyou(),),
    "tianshan-guofang": (baoyou("全国包邮（偏远地区照样包邮）"),),
    "shuwei-foods": (by_weight(8, 2, 99),),
    "hangzhou-silk": (baoyou(),),
    "chenghai-toys": (by_piece(8, 2, 3), baoyou(products=("plush",))),
    "wuyi-tea": (baoyou(),),
    "yantai-orchard": (by_weight(11, 4, 99),),
    "hainan-fruit": (by_weight(12, 5, 129, name="空运鲜果·满129包邮"),),
    "wuchang-rice": (by_weight(9, 2, 99),),
    "caoyuan-muge": (baoyou(),),
    "haipai-fashion": (baoyou(),),
    "nantong-bedding": (baoyou(),),
    "guangzhou-menswear": (baoyou(),),
    "yiwu-daily": (by_piece(5, 1, 3),),
    "liling-porcelain": (by_weight(10, 3, 99), by_piece(6, 2, 2, products=("porcelain_mug",))),
    "zhongning-goji": (baoyou(),),
    "qinling-shanhuo": (by_weight(8, 3, 79),),
    "gannan-orange": (by_weight(10, 3, 89),),
    "jingcheng-baby": (baoyou(),),
    "wenzhou-shoes": (baoyou(),),
    "shenzhen-care": (baoyou(),),
    "baigou-bags": (by_weight(9, 3, 99),),
    "qianshan-tea": (baoyou(),),
    "gaoyuan-zhenpin": (by_weight(12, 5, 99),),
    "liuzhou-luosifen": (by_weight(8, 2, 59),),
}


# --- people and places ----------------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁沈"
GIVEN_NAMES: tuple[str, ...] = (
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英",
    "霞", "平", "刚", "桂英", "子涵", "欣怡", "梓轩", "雨桐", "浩然", "一诺", "思远", "佳怡", "宇航", "晓燕",
    "建华", "海燕", "志强", "文博", "雅婷", "俊杰", "梦琪", "嘉怡", "天佑", "若曦", "振宇", "春梅", "国庆", "晨曦",
)  # fmt: skip
MOBILE_PREFIXES: tuple[str, ...] = ("135", "136", "138", "139", "150", "152", "158", "177", "186", "188", "199")

# Two real streets in each province's built-in county (anxin.geo.data.DEMO_COUNTY_BY_PROVINCE).
STREETS: dict[str, tuple[str, str]] = {
    "110000": ("王府井大街", "东四十条"),
    "120000": ("南京路", "滨江道"),
    "130000": ("中山东路", "建设北大街"),
    "140000": ("长风街", "亲贤北街"),
    "150000": ("新华大街", "成吉思汗大街"),
    "210000": ("太原北街", "南京北街"),
    "220000": ("人民大街", "南湖大路"),
    "230000": ("中央大街", "经纬街"),
    "310000": ("南京东路", "淮海中路"),
    "320000": ("中山路", "珠江路"),
    "330000": ("文三路", "教工路"),
    "340000": ("长江中路", "阜阳路"),
    "350000": ("五四路", "杨桥中路"),
    "360000": ("八一大道", "中山路"),
    "370000": ("泉城路", "解放路"),
    "410000": ("建设西路", "中原中路"),
    "420000": ("解放大道", "沿江大道"),
    "430000": ("五一大道", "芙蓉中路"),
    "440000": ("中山五路", "北京路"),
    "450000": ("民族大道", "东葛路"),
    "460000": ("龙昆南路", "金龙路"),
    "500000": ("民族路", "中山三路"),
    "510000": ("红星路", "东大街"),
    "520000": ("中华南路", "遵义路"),
    "530000": ("人民中路", "翠湖南路"),
    "540000": ("北京中路", "江苏路"),
    "610000": ("小寨东路", "长安南路"),
    "620000": ("东岗西路", "庆阳路"),
    "630000": ("八一路", "东关大街"),
    "640000": ("解放东街", "文化街"),
    "650000": ("解放南路", "新华南路"),
}

# (carrier, tracking prefix, digits after the prefix): believable waybill numbers for shipments.
CARRIERS: tuple[tuple[str, str, int], ...] = (
    ("顺丰速运", "SF", 13),
    ("中通快递", "78", 12),
    ("圆通速递", "YT", 13),
    ("韵达快递", "43", 13),
    ("京东物流", "JDVA", 11),
    ("申通快递", "77", 13),
    ("极兔速递", "JT", 13),
    ("中国邮政EMS", "11", 11),
)
# The hub's carrier for leg 2 (hub -> buyer): the post reaches every county of the remote regions.
LEG2_CARRIER: tuple[str, str, int] = ("中国邮政", "98", 11)
HUB_NAME = "西安中转仓"
# How often a checkout is shipped to each remote region (weights), and their share of all random checkouts.
REMOTE_SHARE = 0.14
REMOTE_WEIGHTS: dict[str, float] = {
    "650000": 3.0,  # Xinjiang
    "150000": 2.5,  # Inner Mongolia
    "620000": 2.5,  # Gansu
    "640000": 1.4,  # Ningxia
    "630000": 1.4,  # Qinghai
    "540000": 1.2,  # Tibet
}


# English names of the demo's spec dimensions and values (a value left out reads the same in both languages).
SPEC_ENGLISH = {
    "口味": "Flavour", "容量": "Volume", "尺寸": "Size", "尺码": "Size", "花色": "Pattern", "规格": "Pack",
    "颜色": "Colour",
    "#101 正红": "#101 True red", "#205 豆沙色": "#205 Rose bean", "#213 奶茶裸色": "#213 Milk-tea nude",
    "#316 枫叶红": "#316 Maple red", "#520 烂番茄": "#520 Tomato red", "#666 蜜桃粉": "#666 Peach pink",
    "#888 复古红棕": "#888 Retro brick", "1.5m床": "1.5 m bed", "1.8m床": "1.8 m bed", "2.0m床": "2.0 m bed",
    "10kg 整箱装": "10 kg case", "10袋装": "10 bags", "125g×12盒": "125 g × 12 boxes",
    "125g×4盒": "125 g × 4 boxes", "125g×8盒": "125 g × 8 boxes", "2.5kg 尝鲜装": "2.5 kg taster",
    "250g 礼盒": "250 g gift box", "3袋装": "3 bags", "5kg 家庭装": "5 kg family pack", "5袋装": "5 bags",
    "三包装": "Pack of 3", "三袋装": "3 bags", "两件装": "Twin pack", "中号": "Medium", "中辣": "Medium hot",
    "主场红": "Home red", "军绿": "Army green", "加量装": "Bonus size", "单包装": "Single pack",
    "单袋装": "Single bag", "南瓜色": "Pumpkin", "卡其": "Khaki", "卡其色": "Khaki", "原味": "Original",
    "基础款": "Basic", "墨绿": "Forest green", "大号": "Large", "大地色": "Earth", "奶白色": "Milk white",
    "客场白": "Away white", "小号": "Small", "小麦色": "Wheat", "微辣": "Mild", "描金": "Gold-traced",
    "星空黑": "Starry black", "月白": "Moon white", "标准装": "Standard", "棕色": "Brown",
    "樱花粉": "Sakura pink", "橙色": "Orange", "浅灰": "Light grey", "深海蓝": "Deep-sea blue",
    "灰色": "Grey", "烈焰红": "Blaze red", "燕麦色": "Oatmeal", "特辣": "Extra hot", "玫瑰色": "Rose",
    "玲珑": "Rice-grain", "珍珠白": "Pearl white", "白瓷": "White porcelain", "白色": "White",
    "白蓝": "White-blue", "米白": "Off-white", "自然色": "Natural", "荧光绿": "Neon green",
    "荧光黄": "Neon yellow", "蓝白": "Blue-white", "薄荷绿": "Mint", "藏青": "Navy", "蜜桃色": "Peach",
    "豆沙粉": "Dusty pink", "象牙白": "Ivory", "豪华款": "Deluxe", "酒红": "Wine red",
    "釉下五彩": "Underglaze colours", "雾蓝": "Mist blue", "雾霾蓝": "Haze blue", "青花": "Blue-and-white",
    "香辣": "Spicy", "驼色": "Camel", "黑白": "Black-white", "黑色": "Black", "黑金": "Black-gold",
}  # fmt: skip


# --- English (issue 10: each product its own English title) -----------------------------------------------

# Each template's titles in English, in the order of its Chinese `titles`; a template without an entry here
# falls back to its one `title_en`.
TITLES_EN: dict[str, tuple[str, ...]] = {
    "football_boots": (
        "Personalised football boots, TF turf studs, artificial-grass trainers",
        "Personalised football boots, AG short studs, adult match edition",
        "Personalised football boots, FG long studs, natural-grass pro edition",
        "Kids' personalised football boots, TF turf studs, academy edition",
        "Personalised football boots, low-cut lightweight speed model",
    ),
    "football_jersey": (
        "Personalised football kit, printed name and number, quick-dry short-sleeve set",
        "Personalised goalkeeper jersey, long sleeve, printed name and number",
        "Kids' football kit set, printed number",
    ),
    "football_gear": (
        "Size 5 football, machine-stitched PU, match and training ball",
        "Size 4 kids' football, hard-wearing, non-slip",
        "Shin guards, slip-in, lightweight",
        "Football socks, knee-high non-slip, thick towel sole",
        "Football training cones, pack of 10",
    ),
    "outdoor": (
        "3-in-1 hiking jacket, windproof and waterproof",
        "Instant pop-up camping tent for 3-4 people",
        "Carbon-fibre trekking poles, ultralight, folding",
        "Hiking backpack 40 L, lightweight",
    ),
    "custom_perfume": (
        "Custom perfume: three notes of your choice, engravable bottle",
        "Custom perfume gift box: three notes blended, handwritten card",
        "Custom perfume for couples: three notes, engraved gift box",
    ),
    "perfume": (
        "Eau de toilette, white tea and fig, fresh and lasting",
        "Eau de parfum, ebony and agarwood, unisex woody",
        "Eau de toilette, gardenia in bloom, floral",
        "Scented candles, soy wax, flameless aroma gift box",
        "Car diffuser, cedar and sandalwood, long-lasting",
    ),
    "lipstick": (
        "Velvet matte lipstick, long-wearing, brightening",
        "Moisturising lip balm lipstick, glossy mirror finish",
        "Lip glaze, matte velvet, transfer-proof",
        "Slim gold-bar lipstick, matte, vivid colour",
        "Lipstick gift set of five, festive gift",
    ),
    "eyeshadow": (
        "Nine-shade eyeshadow palette, earth tones, shimmer and matte",
        "Twelve-shade eyeshadow palette for everyday wear",
        "Four-shade eyeshadow, compact and portable",
    ),
    "cushion": (
        "Cushion BB cream, concealing, long-wearing",
        "Liquid foundation, long-wearing, oil control for combination skin",
        "Loose setting powder, oil control, fine texture",
    ),
    "skincare": (
        "Hyaluronic acid hydrating sheet masks, 20 pack",
        "Niacinamide serum, brightening",
        "Moisturising face cream, barrier repair",
        "Amino-acid facial cleanser, gentle",
        "Sunscreen SPF50+, light and non-greasy",
    ),
    "yunnan_fruit": (
        "Yunnan rock-sugar oranges, picked and shipped fresh",
        "Mengzi pomegranates, Tunisian soft-seed",
        "Huaping mangoes, in season, tree-ripened",
        "Yunnan highland red grapes, crisp, sweet and seedless",
        "Yunnan Orah mandarins, juicy, thin-skinned",
    ),
    "berries": (
        "Yunnan blueberries, large, freshly picked",
        "Dandong strawberries, Benihoppe cream variety",
        "Yunnan raspberries, fresh",
    ),
    "xinjiang_fruit": (
        "Hami melon, Xizhou honey variety, freshly picked",
        "Aksu rock-sugar-heart apples, crisp and juicy",
        "Korla fragrant pears, fresh, thin-skinned",
        "Xinjiang seedless white grapes, freshly picked",
    ),
    "yantai_fruit": (
        "Yantai Red Fuji apples from Qixia, crisp and sweet",
        "Yantai big cherries, Misaki variety, JJ grade",
        "Laiyang pears, fresh, crisp and sweet",
        "Yantai Penglai Muscat Hamburg grapes",
    ),
    "hainan_fruit": (
        "Hainan Guifei mangoes, in season",
        "Hainan green coconuts, cut and shipped the same day",
        "Sanya tree-ripened jackfruit",
        "Hainan golden diamond pineapple, eyeless",
        "Hainan wax apples, Black Diamond",
    ),
    "gannan_oranges": (
        "Gannan navel oranges, picked and shipped from the orchard",
        "Gannan navel oranges gift box, selected large fruit",
        "Xunwu honey tangerines, thin-skinned and juicy",
        "Gannan blood oranges, red flesh",
    ),
    "kiwi": (
        "Zhouzhi red-heart kiwifruit, soft and sweet",
        "Xuxiang green kiwifruit, fresh",
        "Meixian Cuixiang kiwifruit, in season",
    ),
    "kitchen_appliances": (
        "Smart rice cooker 4 L, spherical inner pot, timer",
        "Air fryer 5 L with viewing window, oil-free",
        "Electric kettle 1.7 L, 304 stainless steel, keeps warm",
        "High-speed soy-milk blender, no filtering, 1.2 L",
        "Multi-cooker hot pot, detachable",
        "Electric stew pot, ceramic inner pot, 3 L, for soups",
    ),
    "home_appliances": (
        "Desk fan, quiet, USB rechargeable",
        "Mattress dust-mite vacuum, UV",
        "Humidifier, large tank, quiet for bedrooms",
        "Cordless handheld vacuum cleaner, strong suction",
        "Fan heater for the home, energy-saving, fast heat",
    ),
    "care_appliances": (
        "High-speed hair dryer, negative ions, strong airflow",
        "Sonic electric toothbrush, five modes, long battery life",
        "Electric shaver, three heads, fully washable",
        "Water flosser, portable, for the home",
        "Hair straightener, straightens and curls, ceramic coated",
    ),
    "plush": (
        "Plush panda, name embroidery available",
        "Giraffe comforter toy, baby-safe",
        "Plush bunny with long ears, birthday gift",
        "Dinosaur pillow, extra large, name embroidery available",
        "Corgi puppy plush toy",
    ),
    "edu_toys": (
        "Building bricks, city series, small pieces",
        "Remote-control off-road car, 4WD, rechargeable",
        "Wooden jigsaw for early learning, 100 pieces",
        "Magnetic tiles, endless builds, educational",
        "Kids' magnetic drawing board",
    ),
    "baby_care": (
        "Baby nappies, ultra-thin and breathable, size L",
        "Wide-neck glass baby bottle, anti-colic",
        "Baby wipes for hands and mouth, 80 sheets",
        "Kids' insulated bottle with straw, 316 stainless steel",
        "Baby bodysuit, pure cotton, spring and autumn",
    ),
    "xinjiang_dried": (
        "Xinjiang Hotan jujubes, Jun variety, first grade",
        "Turpan raisins, seedless white, ready to eat",
        "Xinjiang almonds, thin shell, milky flavour",
        "Xinjiang paper-shell walnuts, 185 variety",
    ),
    "sichuan_food": (
        "Chongqing hot-pot base, beef tallow, numbing and spicy",
        "Hand-torn spicy beef jerky, Dengying style",
        "Pixian chilli bean paste, aged three years",
        "Sichuan spicy sausages, farmhouse made",
        "Zigong cold-eaten rabbit, numbing and spicy",
    ),
    "tea_wuyi": (
        "Wuyi Da Hong Pao rock tea, rich roast",
        "Lapsang souchong black tea from Tongmuguan",
        "Fuding white tea, White Peony, pressed cake",
        "Jin Jun Mei black tea, gift box",
        "Wuyi Rougui rock tea, premium grade",
    ),
    "tea_guizhou": (
        "Duyun Maojian green tea, pre-Qingming premium",
        "Meitan Cuiya green tea, spring harvest",
        "Zunyi black tea, gift box",
        "Guizhou ancient-tree white tea, pressed cake",
    ),
    "rice": (
        "Wuchang rice, Daohuaxiang No. 2, new harvest",
        "Wuchang organic rice, vacuum packed",
        "North-east pearl rice, round grain, soft",
    ),
    "northeast_dried": (
        "North-east black fungus, autumn harvest, thick, rootless",
        "Changbai Mountain hazel mushrooms, dried",
        "North-east pine nuts, open shell, hand-cracked",
    ),
    "grassland": (
        "Inner Mongolia air-dried beef jerky, hand-torn",
        "Grassland milk tablets, high calcium, individually wrapped",
        "Cheese sticks, original",
        "Milk skin, traditional handmade",
    ),
    "cashmere": (
        "Cashmere scarf, plain, thick and warm",
        "Cashmere jumper, crew neck, unisex",
        "Wool socks, thick winter pack of three",
    ),
    "goji": (
        "Zhongning goji berries, premium first-pick red",
        "Ningxia black goji berries, large",
        "Goji juice, fresh-pressed, 30 sachets",
        "Goji leaf tea, a Ningxia speciality",
    ),
    "shaanxi_dried": (
        "Qinling wild honey, multi-flower",
        "Shangluo thin-shell walnuts, original",
        "Zhashui black fungus, small-cup",
    ),
    "tibet": (
        "Yak jerky, air-dried, hand-torn",
        "Highland barley biscuits, no cane sugar",
        "Tibetan butter tea, instant",
        "Nyingchi matsutake, dried slices",
    ),
    "luosifen": (
        "Liuzhou river-snail rice noodles, authentic, extra pungent and spicy",
        "Guilin rice noodles, dried, with original broth",
        "Nanning Laoyou noodles, sour and spicy",
        "Guangxi pickled fruit snacks, sour and spicy",
    ),
    "silk": (
        "Silk dress, French vintage floral",
        "Mulberry silk shirt, long sleeve, for work",
        "Silk scarf, Hangzhou silk, gift box",
        "Silk pyjama set, summer",
        "Gambiered Canton silk skirt, high waist, new Chinese style",
    ),
    "haipai": (
        "Double-faced wool coat, mid-length",
        "Knitted cardigan, soft and loose",
        "Wide-leg suit trousers, fluid drape, high waist",
        "Modern qipao for every day, new Chinese style",
        "Little black dress, Hepburn style",
    ),
    "menswear": (
        "Cotton T-shirt, heavyweight, loose fit",
        "Business shirt, non-iron, long sleeve",
        "Hoodie, fleece-lined, streetwear",
        "Casual trousers, straight, stretch",
        "White duck-down jacket, short",
    ),
    "leather_shoes": (
        "Men's leather business shoes, lace-up formal",
        "Women's pumps, pointed toe, low heel, for work",
        "Men's casual shoes, top-grain cowhide, soft sole",
        "Loafers, slip-on",
        "Chelsea boots, genuine leather ankle boots",
    ),
    "bags": (
        "Backpack, large, water-repellent, for commuting",
        "Women's crossbody bag, small leather box bag",
        "Carry-on suitcase 20 inch, spinner wheels",
        "Men's briefcase, business",
        "Canvas tote bag, large",
    ),
    "bedding": (
        "Pure cotton bedding set of four, twill",
        "100% mulberry silk duvet, spring and autumn",
        "Latex pillow, neck support, adult",
        "Summer quilt, light, machine washable",
        "Washed cotton bedding set of four, plain",
    ),
    "porcelain": (
        "Underglaze dinnerware set, 28 pieces",
        "Kung-fu tea set, hand-painted white porcelain",
        "Blue-and-white rice bowls, set of four",
        "Ceramic tea cup, handmade host cup",
        "Rice-pattern porcelain soup bowls, gift box",
    ),
    "porcelain_mug": (
        "Bone china mug for couples, engravable",
        "Hand-painted ceramic mug, birthday gift, engravable",
    ),
    "storage": (
        "Clear storage boxes with lids, thick, set of three",
        "Fabric wardrobe organisers, foldable",
        "Kitchen shelf, multi-tier, no drilling",
        "Acrylic desk organiser for cosmetics",
        "Vacuum storage bags for duvets and clothes, pack of 10",
    ),
}

# Each shop's brand as its English pages show it (pinyin or a translation), by the Chinese brand.
BRANDS_EN: dict[str, str] = {
    "绿茵": "Lvyin",
    "闻香": "Wenxiang",
    "彩云鲜": "Caiyun Fresh",
    "美厨": "Meichu",
    "西子": "Xizi",
    "萌趣": "Mengqu",
    "天山": "Tianshan",
    "蜀味": "Shuwei",
    "丝韵": "Siyun",
    "童趣岛": "Kids Island",
    "岩韵": "Yanyun",
    "胶东": "Jiaodong",
    "椰风": "Yefeng",
    "黑土地": "Black Soil",
    "草原牧歌": "Grassland Song",
    "海派": "Haipai",
    "眠语": "Mianyu",
    "潮衣社": "Chaoyi",
    "义家": "Yijia",
    "醴瓷": "Lici",
    "红宝": "Hongbao",
    "秦岭": "Qinling",
    "赣南": "Gannan",
    "京贝": "Jingbei",
    "瓯履": "Oulv",
    "声科": "Shengke",
    "行者": "Xingzhe",
    "黔山": "Qianshan",
    "高原臻品": "Plateau Select",
    "柳味": "Liuwei",
}

# REPEAT_SUFFIXES in English, in the same order.
REPEAT_SUFFIXES_EN: tuple[str, ...] = (
    "selection pack",
    "classic edition",
    "gift box",
    "upgraded edition",
    "family pack",
)
