import type { PortalSetupPart } from './en.js';

export const portalSetupAr: PortalSetupPart = {
  'portal.back.allSteps': 'كل الخطوات',
  'portal.copy.button': 'نسخ',
  'portal.copy.copied': 'تم النسخ',
  'portal.copy.recordName': 'نسخ اسم السجل',
  'portal.copy.recordValue': 'نسخ قيمة السجل',
  'portal.copy.acsUrl': 'نسخ عنوان URL لخدمة ACS',
  'portal.copy.entityId': 'نسخ معرّف كيان مزوّد الخدمة',
  'portal.copy.metadataUrl': 'نسخ عنوان URL لبيانات تعريف مزوّد الخدمة',
  'portal.copy.nameIdFormat': 'نسخ تنسيق NameID',
  'portal.copy.attribute': 'نسخ اسم السمة {name}',
  'portal.copy.redirectUri': 'نسخ عنوان URI لإعادة التوجيه',
  'portal.copy.scimBaseUrl': 'نسخ عنوان URL الأساسي لـ SCIM',
  'portal.copy.scimToken': 'نسخ رمز SCIM',
  'portal.copy.scopes': 'نسخ النطاقات',
  'portal.form.refused': 'تم الرفض: {detail} ({reason})',

  'portal.invalid.title': 'رابط الإعداد غير صالح',
  'portal.invalid.heading': 'لا يمكن استخدام رابط الإعداد هذا',
  'portal.invalid.lead':
    'تعمل روابط الإعداد مرة واحدة، لمدة محدودة، ويمكن سحبها. وقد استُخدم هذا الرابط من قبل، أو انتهت صلاحيته، أو لم يعد صالحاً.',
  'portal.invalid.next':
    'اطلب رابطاً جديداً من فريق المنصة الذي أرسله إليك (أو من مدير حسابك). وإذا كنت قد فتحته في هذا المتصفح من قبل، فعُد إلى علامة التبويب التي استخدمتها.',
  'portal.ended.title': 'انتهت جلسة الإعداد',
  'portal.ended.heading': 'انتهت جلسة الإعداد الخاصة بك',
  'portal.ended.lead':
    'لا تعمل البوابة إلا في المتصفح الذي فتح رابط الإعداد، وحتى تنتهي صلاحية الرابط أو يُسحب.',
  'portal.ended.next': 'اطلب رابطاً جديداً من فريق المنصة الذي أرسله إليك (أو من مدير حسابك).',
  'portal.start.title': 'إعداد تسجيل الدخول',
  'portal.start.heading': 'إعداد تسجيل الدخول لمؤسستك',
  'portal.start.lead':
    'يفتح هذا الرابط جلسة إعداد في هذا المتصفح. وهو يعمل مرة واحدة فقط: واصل استخدام هذا المتصفح حتى تنتهي.',
  'portal.start.button': 'بدء الإعداد',

  'portal.home.title': 'الإعداد',
  'portal.home.heading': 'إعداد {name}',
  'portal.home.yourOrganization': 'مؤسستك',
  'portal.home.ends': 'تنتهي هذه الجلسة في {time}.',
  'portal.home.steps': 'الخطوات',
  'portal.home.notYet': '(غير متاحة في البوابة بعد)',
  'portal.home.done': 'تم: العودة',
  'portal.step.domain': 'نشر سجل DNS من النوع TXT والتحقق منه',
  'portal.step.sso': 'ربط مزوّد الهوية الخاص بك',
  'portal.step.directoryTitle': 'مزامنة الدليل',
  'portal.step.directory': 'توفير المستخدمين من دليلك عبر SCIM',
  'portal.step.auditTitle': 'سجل التدقيق',
  'portal.step.audit': 'أحداث مؤسستك',
  'portal.step.sessionsTitle': 'الجلسات',
  'portal.step.sessions': 'من سجّل الدخول، وإنهاء الجلسات',

  'portal.domain.heading': 'التحقق من نطاقك',
  'portal.domain.lead':
    'أثبت أن مؤسستك تتحكم في نطاق بريدها الإلكتروني: عندها تُرسَل عمليات تسجيل دخول موظفيك إلى مزوّد الهوية الخاص بك.',
  'portal.domain.verified': 'تم التحقق',
  'portal.domain.pending': 'لم يتم التحقق بعد',
  'portal.domain.addRecord': 'أضف سجل TXT هذا لدى مزوّد DNS الخاص بك، ثم تحقّق منه:',
  'portal.domain.recordType': 'النوع',
  'portal.domain.recordName': 'الاسم',
  'portal.domain.recordValue': 'القيمة',
  'portal.domain.check': 'التحقق الآن',
  'portal.domain.delay': 'قد تستغرق تغييرات DNS بضع دقائق حتى تظهر.',
  'portal.domain.add': 'إضافة نطاق',
  'portal.domain.label': 'النطاق',
  'portal.domain.addButton': 'إضافة النطاق',
  'portal.domain.verifiedNotice': 'تم التحقق من {domain}.',
  'portal.domain.failure.none': 'لا يوجد سجل TXT في {record}.',
  'portal.domain.failure.mismatch': 'لا يحتوي أي سجل TXT في {record} على رمز هذا النطاق.',
  'portal.domain.failure.lookup': 'فشل الاستعلام عن سجل TXT في {record} ({detail}).',
  'portal.domain.failure.todo':
    'انشر سجل TXT الظاهر أعلاه لدى مزوّد DNS الخاص بك، ثم تحقّق مرة أخرى.',
  'portal.domain.refused.taken': 'هذا النطاق مُطالَب به من مؤسستك بالفعل، أو تحقّقت منه مؤسسة أخرى.',
  'portal.domain.refused.invalid':
    'أدخل اسم النطاق وحده، مثل example.com: من دون https:// ومن دون مسار أو عنوان بريد إلكتروني.',

  'portal.sso.heading': 'تسجيل الدخول الموحّد',
  'portal.sso.lead':
    'اربط مزوّد الهوية الخاص بك: عندها يسجّل موظفوك الدخول من خلاله. يبدأ كل اتصال جديد كمسودة، ولا يصبح فعّالاً إلا بعد نجاح تسجيل دخول تجريبي.',
  'portal.sso.yours': 'اتصالاتك',
  'portal.sso.column.name': 'الاسم',
  'portal.sso.column.protocol': 'البروتوكول',
  'portal.sso.column.status': 'الحالة',
  'portal.sso.none': 'لا يوجد شيء بعد.',
  'portal.sso.add': 'إضافة اتصال',
  'portal.sso.pick':
    'اختر مزوّد الهوية الخاص بك. يُعدّ Okta وMicrosoft Entra ID باستخدام SAML ما لم تختر خيار OpenID Connect الخاص بهما: إذ يرسل SAML مجموعاتك هناك دون إعداد إضافي.',
  'portal.sso.status.draft': 'مسودة',
  'portal.sso.status.active': 'فعّال',
  'portal.sso.status.disabled': 'معطّل',
  'portal.sso.new.title': 'ربط {idp}',
  'portal.sso.new.headingWithProtocol': 'ربط {idp} ({protocol})',
  'portal.sso.new.lead': 'باستخدام {protocol}؛ يبدأ الاتصال كمسودة.',
  'portal.sso.new.otherProtocol': 'هل تفضّل البروتوكول الآخر؟',
  'portal.sso.new.useOther': 'استخدام {protocol} بدلاً من ذلك',
  'portal.sso.new.atIdp': '1. في {idp}',
  'portal.sso.new.enter': '2. أدخل هذه القيم هناك',
  'portal.sso.new.bringBack': '3. أحضر قيم {idp} إلى هنا',
  'portal.sso.values.spMetadataUrl': 'عنوان URL لبيانات تعريف مزوّد الخدمة',
  'portal.sso.values.attributes': '{label}: أضف عبارات السمات هذه، بهذه الأسماء تماماً.',
  'portal.sso.values.attributeName': 'اسم السمة',
  'portal.sso.values.attributeSource': 'القيمة لدى مزوّد الهوية',
  'portal.sso.values.scopes': 'النطاقات (scopes)',
  'portal.sso.values.claims': 'المطالبات المقروءة',
  'portal.sso.values.subject': '(المعرّف الثابت للمستخدم)',
  'portal.sso.form.name': 'اسم الاتصال',
  'portal.sso.form.metadataOneWay':
    'قدّم بيانات تعريف مزوّد الهوية بطريقة واحدة: عنوان URL الخاص بها، أو ملفها، أو نصها.',
  'portal.sso.form.metadataUrl': 'عنوان URL لبيانات تعريف مزوّد الهوية',
  'portal.sso.form.metadataFile': 'ملف بيانات تعريف مزوّد الهوية',
  'portal.sso.form.metadataFileHint': 'ملف XML، بحجم {count} كيلوبايت على الأكثر.',
  'portal.sso.form.metadataXml': 'XML بيانات تعريف مزوّد الهوية (ملصق)',
  'portal.sso.form.createSaml': 'إنشاء مسودة الاتصال',
  'portal.sso.form.issuer': 'الجهة المُصدِرة (Issuer)',
  'portal.sso.form.issuerHint':
    'مثلاً {example}. يُجلب مستند الاكتشاف الخاص بها عند إرسال هذا النموذج.',
  'portal.sso.form.createOidc': 'التحقق وإنشاء مسودة الاتصال',
  'portal.sso.created':
    'تم إنشاء مسودة الاتصال. أدخل هذه القيم لدى مزوّد الهوية إن لم تكن قد فعلت ذلك بعد، ثم اختبره.',
  'portal.sso.connection.draft': 'اتصال {protocol}. مسودة: لا يسجّل أحد الدخول من خلاله حتى يُفعَّل.',
  'portal.sso.connection.active': 'اتصال {protocol}. فعّال: يسجّل موظفوك الدخول من خلاله.',
  'portal.sso.connection.disabled': 'اتصال {protocol}. معطّل: لا يسجّل أحد الدخول من خلاله.',
  'portal.sso.connection.values': 'القيم التي تُدخلها لدى مزوّد الهوية الخاص بك',
  'portal.sso.test.heading': 'الاختبار والتفعيل',
  'portal.sso.test.lead':
    'سجّل الدخول من خلال هذا الاتصال في علامة تبويب جديدة، كما سيفعل أحد موظفيك.',
  'portal.sso.test.latest': 'آخر اختبار:',
  'portal.sso.test.passed': 'ناجح',
  'portal.sso.test.failed': 'فاشل',
  'portal.sso.test.pending': 'قيد الانتظار',
  'portal.sso.test.report': 'ما الذي عاد',
  'portal.sso.test.none': 'لا يوجد تسجيل دخول تجريبي بعد.',
  'portal.sso.test.button': 'تسجيل دخول تجريبي',
  'portal.sso.test.activate': 'تفعيل',
  'portal.sso.test.activateLater':
    'يصبح التفعيل متاحاً بعد نجاح تسجيل دخول تجريبي منذ آخر تغيير على الاتصال.',

  'portal.sso.field.name': 'الاسم',
  'portal.sso.field.issuer': 'الجهة المُصدِرة',
  'portal.sso.field.clientId': 'معرّف العميل',
  'portal.sso.field.clientSecret': 'سرّ العميل',
  'portal.sso.field.metadataUrl': 'عنوان URL لبيانات التعريف',
  'portal.sso.field.metadataXml': 'بيانات التعريف',
  'portal.sso.field.metadataFile': 'ملف بيانات التعريف',
  'portal.sso.field.other': 'هذا الحقل',
  'portal.sso.refused.outOfDate':
    'هذا النموذج قديم: فقد أُنشئ منه اتصال من قبل، أو تغيّرت القيم. تحقّق من القيم أعلاه لدى مزوّد الهوية، ثم أرسل النموذج مرة أخرى.',
  'portal.sso.refused.fileTooLarge': 'ملف بيانات التعريف أكبر من {count} كيلوبايت.',
  'portal.sso.refused.fileNotXml': 'يجب أن يكون ملف بيانات التعريف ملف XML؛ ونوع هذا الملف {type}.',
  'portal.sso.refused.fileNotXmlText':
    'ملف بيانات التعريف ليس مستند XML (نص UTF-8 يبدأ بالرمز "<").',
  'portal.sso.refused.pastedTooLarge': 'بيانات التعريف الملصقة أكبر من {count} كيلوبايت.',
  'portal.sso.refused.metadataTwice':
    'قدّم بيانات التعريف بطريقة واحدة فقط: عنوان URL الخاص بها، أو ملفها، أو نصها.',
  'portal.sso.refused.metadataMissing':
    'قدّم بيانات تعريف مزوّد الهوية: عنوان URL الخاص بها، أو ملفها، أو نصها.',
  'portal.sso.refused.required': '{label}: هذا الحقل مطلوب.',
  'portal.sso.refused.https': '{label}: يجب أن يكون عنوان URL يبدأ بـ https.',
  'portal.sso.refused.invalid': '{label}: لم تُقبل القيمة ({detail}).',
  'portal.sso.refused.check': 'فشل التحقق: {detail} ({reason})',
  'portal.sso.refused.fetch': 'تعذّر جلب بيانات تعريف مزوّد الهوية: {detail} ({reason})',
  'portal.sso.check.idpUnreachable': 'تعذّر جلب مستند الاكتشاف أو المفاتيح الخاصة بالجهة المُصدِرة',
  'portal.sso.check.issuerMismatch': 'يذكر مستند الاكتشاف جهة مُصدِرة غير التي أُدخلت',
  'portal.sso.check.clientRejected': 'رفض المزوّد معرّف العميل والسرّ هذين',

  'portal.guide.okta.step1':
    'في Okta Admin Console، افتح Applications → Applications → Create App Integration.',
  'portal.guide.okta.step2': 'اختر SAML 2.0، وسمِّ التطبيق، ثم املأ «Configure SAML» بالقيم أدناه.',
  'portal.guide.okta.step3':
    'فعّل «Use this for Recipient URL and Destination URL»، واضبط Application username على Email.',
  'portal.guide.okta.attributes':
    'Attribute Statements، وGroup Attribute Statements للمجموعات (عامل التصفية: Matches regex .*)',
  'portal.guide.okta.groups': 'عامل تصفية المجموعات',
  'portal.guide.okta.bringBack':
    'في علامة التبويب Sign On للتطبيق، تحت «SAML 2.0»، انسخ Metadata URL. ثم عيّن الأشخاص أو المجموعات في علامة التبويب Assignments.',
  'portal.guide.oktaOidc.step2':
    'اختر OIDC - OpenID Connect وWeb Application، وأبقِ نوع المنح Authorization Code.',
  'portal.guide.oktaOidc.groupsClaim':
    'في علامة التبويب Sign On للتطبيق، عدّل «OpenID Connect ID Token»: ‏Groups claim type هو Filter، والاسم groups، وMatches regex .*',
  'portal.guide.oktaOidc.bringBack':
    'في علامة التبويب General للتطبيق، يحتوي «Client Credentials» على Client ID وClient secret؛ والجهة المُصدِرة هي نطاق Okta الخاص بك (https://your-org.okta.com).',
  'portal.guide.entra.step1':
    'في Microsoft Entra admin center، افتح Enterprise applications → New application → Create your own application («Integrate any other application you don’t find in the gallery»).',
  'portal.guide.entra.step2':
    'افتح Single sign-on → SAML، وعدّل «Basic SAML Configuration» بالقيم أدناه.',
  'portal.guide.entra.attributes':
    'Attributes & Claims (أول اثنين موجودان افتراضياً؛ واستخدم «Add a group claim» للمجموعات)',
  'portal.guide.entra.bringBack':
    'تحت «SAML Certificates»، انسخ App Federation Metadata Url. ثم عيّن المستخدمين والمجموعات تحت «Users and groups».',
  'portal.guide.entraOidc.step1':
    'في Microsoft Entra admin center، افتح App registrations → New registration.',
  'portal.guide.entraOidc.step2':
    'تحت Redirect URI اختر منصة Web وأدخل القيمة أدناه؛ ثم أضف New client secret تحت Certificates & secrets.',
  'portal.guide.entraOidc.clientSecret': 'قيمة Client secret ‏(Value، لا Secret ID)',
  'portal.guide.entraOidc.groupsClaim':
    'تحت Token configuration، اختر «Add groups claim» ‏(ID token)، وأضف المطالبة الاختيارية email.',
  'portal.guide.entraOidc.bringBack':
    "تعرض صفحة Overview للتطبيق قيمتي Application (client) ID وDirectory (tenant) ID؛ والجهة المُصدِرة هي https://login.microsoftonline.com/'<Directory (tenant) ID>'/v2.0.",
  'portal.guide.google.step1':
    'في Google Admin console، افتح Apps → Web and mobile apps → Add app → Add custom SAML app.',
  'portal.guide.google.step2':
    'سمِّ التطبيق؛ وفي «Google Identity Provider details» اختر Download Metadata (سترفع هذا الملف أدناه).',
  'portal.guide.google.step3':
    'في «Service provider details» أدخل القيم أدناه؛ وName ID: ‏Basic Information > Primary email.',
  'portal.guide.google.bringBack':
    'ملف بيانات التعريف الذي نزّلته (GoogleIDPMetadata.xml): ارفعه أدناه. ثم شغّل التطبيق للجميع (User access، ‏ON).',
  'portal.guide.adfs.step1':
    'في AD FS Management، افتح Relying Party Trusts → Add Relying Party Trust → Claims aware.',
  'portal.guide.adfs.step2':
    'استورد عنوان URL لبيانات تعريف مزوّد الخدمة أدناه («Import data about the relying party published online»)، أو أدخل القيم يدوياً.',
  'portal.guide.adfs.step3':
    'عدّل Claim Issuance Policy: ‏«Send LDAP Attributes as Claims»، ثم «Transform an Incoming Claim» من أجل Name ID.',
  'portal.guide.adfs.attributes': 'Send LDAP Attributes as Claims (أنواع المطالبات الصادرة)',
  'portal.guide.adfs.bringBack':
    "عنوان URL لبيانات تعريف خدمة الاتحاد لديك: https://'<your-adfs-host>'/FederationMetadata/2007-06/FederationMetadata.xml",
  'portal.guide.ping.step1':
    'في وحدة تحكم إدارة PingFederate، افتح Applications → SP Connections → Create Connection.',
  'portal.guide.ping.step2':
    'اختر Browser SSO، والبروتوكول SAML 2.0؛ ويمكنك استيراد عنوان URL لبيانات تعريف مزوّد الخدمة أدناه، أو إدخال القيم يدوياً.',
  'portal.guide.ping.step3':
    'في Browser SSO → Assertion Creation، وسّع Attribute Contract واملأه من مخزن بياناتك.',
  'portal.guide.ping.bringBack':
    "عنوان URL لبيانات تعريف الاتصال، https://'<your-pingfederate-host>':9031/pf/federation_metadata.ping?PartnerSpId='<معرّف كيان مزوّد الخدمة أعلاه>'، أو ملف بيانات التعريف المُصدَّر (Actions → Export Metadata).",
  'portal.guide.onelogin.step1':
    'في OneLogin Administration، افتح Applications → Add App، واختر «SAML Custom Connector (Advanced)».',
  'portal.guide.onelogin.step2':
    'في علامة التبويب Configuration أدخل القيم أدناه (وACS URL أيضاً في Recipient وACS URL Validator).',
  'portal.guide.onelogin.step3':
    'في علامة التبويب Parameters أضف كل سمة مع تفعيل «Include in SAML assertion».',
  'portal.guide.onelogin.groups': 'MemberOf (أو User Roles)',
  'portal.guide.onelogin.bringBack':
    'في علامة التبويب SSO، انسخ Issuer URL: فهو عنوان URL لبيانات التعريف.',
  'portal.guide.jumpcloud.step1':
    'في JumpCloud Admin Portal، افتح SSO Applications → Add New Application → Custom Application، واختر «Manage Single Sign-On (SSO)» مع SAML 2.0.',
  'portal.guide.jumpcloud.step2':
    'أعطِ IdP Entity ID اسماً من اختيارك (مثل jumpcloud-latchkey)، وأدخل القيم أدناه.',
  'portal.guide.jumpcloud.attributes': 'Attributes (و«Include group attribute» باسم groups)',
  'portal.guide.jumpcloud.groups': 'سمة المجموعة',
  'portal.guide.jumpcloud.bringBack':
    'بعد الحفظ، افتح التطبيق واختر Export Metadata: ثم ارفع ذلك الملف أدناه.',
  'portal.guide.saml.choice': 'SAML 2.0 عام',
  'portal.guide.saml.idp': 'مزوّد هوية SAML الخاص بك',
  'portal.guide.saml.step1': 'في مزوّد الهوية لديك، أنشئ تطبيق SAML 2.0 (مزوّد خدمة) بالقيم أدناه.',
  'portal.guide.saml.acsUrl': 'عنوان URL لخدمة Assertion Consumer Service (ACS)، بربط HTTP-POST',
  'portal.guide.saml.entityId': 'معرّف كيان مزوّد الخدمة (الجمهور)',
  'portal.guide.saml.nameIdFormat': 'تنسيق NameID',
  'portal.guide.saml.attributes': 'عبارات السمات',
  'portal.guide.saml.email': 'البريد الإلكتروني للمستخدم',
  'portal.guide.saml.name': 'الاسم المعروض للمستخدم',
  'portal.guide.saml.groups': 'مجموعات المستخدم',
  'portal.guide.saml.bringBack':
    'بيانات تعريف SAML لمزوّد الهوية لديك: عنوان URL الخاص بها، أو ملف XML أو نصه.',
  'portal.guide.oidc.choice': 'OpenID Connect عام',
  'portal.guide.oidc.idp': 'مزوّد OpenID Connect الخاص بك',
  'portal.guide.oidc.step1':
    'لدى مزوّدك، سجّل عميل ويب سرياً يستخدم تدفق رمز التفويض (authorization code)، مع عنوان URI لإعادة التوجيه أدناه.',
  'portal.guide.oidc.redirectUri': 'عنوان URI لإعادة التوجيه',
  'portal.guide.oidc.clientId': 'معرّف العميل',
  'portal.guide.oidc.clientSecret': 'سرّ العميل',
  'portal.guide.oidc.groupsClaim':
    'اجعل رمز ID أو userinfo يحمل المطالبة groups (يحتاج بعض المزوّدين إلى نطاق أو إعداد لذلك).',
  'portal.guide.oidc.bringBack':
    'الجهة المُصدِرة (يجب أن يكون /.well-known/openid-configuration الخاص بها قابلاً للوصول)، ومعرّف العميل، وسرّ العميل.',
};
