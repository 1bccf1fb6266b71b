import type { PortalOpsPart } from './en.js';

/**
 * العربية الفصحى: تسجيل الدخول التجريبي، مزامنة الدليل، سجل التدقيق، الجلسات. The page is
 * right-to-left: "back" points right (→) and "onward" left (←).
 */
export const portalOpsAr: PortalOpsPart = {
  'portal.ops.allSteps': '→ كل الخطوات',

  'portal.test.passedTitle': 'نجح تسجيل الدخول التجريبي',
  'portal.test.failedTitle': 'فشل تسجيل الدخول التجريبي',
  'portal.test.pendingTitle': 'لم يكتمل تسجيل الدخول التجريبي',
  'portal.test.reason': 'السبب:',
  'portal.test.pending':
    'لم يصل رد من موفّر الهوية بعد. أكمل تسجيل الدخول في علامة التبويب التي فُتحت، أو أعد الاختبار.',
  'portal.test.wouldSucceed': 'سينجح تسجيل الدخول عبر هذا الاتصال.',
  'portal.test.received': 'ما الذي وصل',
  'portal.test.subject': 'المعرّف (sub)',
  'portal.test.nameIdFormat': 'تنسيق NameID',
  'portal.test.email': 'البريد الإلكتروني',
  'portal.test.emailVerified': 'البريد الإلكتروني موثَّق',
  'portal.test.yes': 'نعم',
  'portal.test.no': 'لا',
  'portal.test.displayName': 'الاسم المعروض',
  'portal.test.groups': 'المجموعات',
  'portal.test.roles': 'الأدوار في Latchkey',
  'portal.test.noRoleMapping': 'لا يوجد ربط للأدوار',
  'portal.test.none': 'لا شيء',
  'portal.test.checks': 'عمليات التحقق',
  'portal.test.checkPassed': '✓ ناجح',
  'portal.test.checkFailed': '✗ فاشل',
  'portal.test.check.orgActive': 'يمكن لمؤسستك تسجيل الدخول',
  'portal.test.check.subjectPresent': 'حدّد موفّر الهوية من هو المستخدم (NameID أو sub)',
  'portal.test.check.emailUsable': 'وصل عنوان بريد إلكتروني',
  'portal.test.check.emailDomainAllowed': 'نطاق البريد الإلكتروني من نطاقاتك الموثَّقة',
  'portal.test.check.emailVerified': 'عنوان البريد الإلكتروني موثَّق (حيث تشترط مؤسستك ذلك)',
  'portal.test.everything': 'كل ما أرسله موفّر الهوية ({count})',
  'portal.test.activate': 'تفعيل {name}',
  'portal.test.again': 'إعادة اختبار تسجيل الدخول',
  'portal.test.finishedTitle': 'انتهى تسجيل الدخول التجريبي',
  'portal.test.finishedLead': 'ردّ موفّر الهوية. اطّلع على ما وصل:',
  'portal.test.seeResult': 'عرض النتيجة',
  'portal.test.notActivatedTitle': 'لم يتم التفعيل',
  'portal.test.notActivatedHeading': 'لم يتم تفعيل {name}',
  'portal.test.backTo': '→ العودة إلى {name}',
  'portal.test.refused.untested': 'أجرِ تسجيل دخول تجريبيًا ناجحًا قبل تفعيل هذا الاتصال.',
  'portal.test.refused.changed':
    'تغيّر الاتصال منذ آخر تسجيل دخول تجريبي ناجح: اختبره مرة أخرى قبل تفعيله.',
  'portal.test.refused.checkFailed':
    'لم يجتز الاتصال عمليات التحقق المباشرة؛ أصلحه لدى موفّر الهوية أو هنا، ثم فعّله مرة أخرى.',
  'portal.test.refused.other': 'تعذّر تفعيل الاتصال الآن. أعد تحميل صفحته وحاول مرة أخرى.',

  'portal.test.fix.emailMissingSaml':
    'لم يرسل موفّر الهوية بريدًا إلكترونيًا صالحًا للاستخدام. أضف بيان سمة باسم "{attribute}" تكون قيمته عنوان البريد الإلكتروني للمستخدم (أو أرسل NameID بتنسيق emailAddress).',
  'portal.test.fix.emailMissingOidc':
    'لم يرسل موفّر الهوية مطالبة بريد إلكتروني صالحة للاستخدام. أدرج النطاق "email" وتأكد من أن للمستخدم عنوان بريد إلكتروني لدى موفّر الهوية.',
  'portal.test.fix.subjectMissingSaml':
    'لم يرسل موفّر الهوية NameID صالحًا للاستخدام (فالمؤقت منه يتغير مع كل تسجيل دخول). أرسل NameID من نوع persistent أو emailAddress.',
  'portal.test.fix.subjectMissingOidc': 'لا يحتوي رمز الهوية على معرّف ("sub").',
  'portal.test.fix.emailDomainNotAllowed':
    'نطاق البريد الإلكتروني ليس من النطاقات الموثَّقة لمؤسستك. وثّق هذا النطاق في خطوة النطاق، أو سجّل الدخول بعنوان من نطاق موثَّق.',
  'portal.test.fix.emailNotVerified':
    'تشترط مؤسستك عناوين بريد إلكتروني موثَّقة، ولم يُشر موفّر الهوية إلى أن هذا العنوان موثَّق (في OIDC يجب أن تكون قيمة email_verified هي true).',
  'portal.test.fix.orgDisabled': 'مؤسستك معطّلة: تواصل مع فريق المنصة.',
  'portal.test.fix.idpAccessDenied':
    'أُلغي تسجيل الدخول أو رُفض لدى موفّر الهوية. تحقّق من أن حسابك مُسند إلى التطبيق هناك، ثم أعد الاختبار.',
  'portal.test.fix.issuerMismatch':
    'ردّ موفّر الهوية بمُصدِر غير المُصدِر المُعدّ: تحقّق من عنوان URL للمُصدِر بدقة (بما في ذلك أي شرطة مائلة في آخره).',
  'portal.test.fix.samlIssuerMismatch':
    'قيمة Issuer في الرد ليست معرّف كيان موفّر الهوية الوارد في البيانات الوصفية: ارفع البيانات الوصفية لهذا التطبيق مرة أخرى.',
  'portal.test.fix.samlAudienceMismatch':
    'يجب أن تكون قيمة Audience في التأكيد "{url}" تمامًا: اضبطها لدى موفّر الهوية بوصفها معرّف كيان مزوّد الخدمة (Audience URI) للتطبيق.',
  'portal.test.fix.audienceMismatch':
    'جمهور رمز الهوية ليس معرّف العميل لهذا الاتصال: تحقّق من معرّف العميل.',
  'portal.test.fix.samlDestinationMismatch':
    'أُرسل الرد إلى عنوان آخر: اضبط عنوان URL لخدمة ACS (عنوان الرد) لدى موفّر الهوية ليكون "{url}" تمامًا.',
  'portal.test.fix.samlRecipientMismatch':
    'يجب أن تكون قيمة Recipient في التأكيد "{url}" تمامًا: اضبطها لدى موفّر الهوية بوصفها عنوان URL لخدمة ACS (عنوان الرد).',
  'portal.test.fix.samlSignatureInvalid':
    'تعذّر التحقق من التوقيع بشهادة موفّر الهوية: ربما غيّر موفّر الهوية شهادة التوقيع. ارفع بياناته الوصفية الحالية مرة أخرى.',
  'portal.test.fix.samlCertificateUnknown':
    'وُقّع الرد بشهادة لا يعرفها الاتصال: ارفع البيانات الوصفية الحالية لموفّر الهوية.',
  'portal.test.fix.samlAssertionUnsigned':
    'يجب أن يكون التأكيد موقّعًا: اضبط موفّر الهوية على توقيع التأكيد (أو الرد والتأكيد معًا).',
  'portal.test.fix.samlSignatureAlgorithmWeak':
    'يوقّع موفّر الهوية باستخدام SHA-1: اضبطه على RSA-SHA256 (أو أقوى).',
  'portal.test.fix.samlAssertionExpired':
    'كان التأكيد منتهي الصلاحية عند وصوله: تحقّق من ساعة خادم موفّر الهوية.',
  'portal.test.fix.samlAssertionNotYetValid':
    'التأكيد غير صالح بعد: تحقّق من ساعة خادم موفّر الهوية.',
  'portal.test.check.assuranceSufficient':
    'تستوفي عملية تسجيل الدخول سياسة مؤسستك لقوة تسجيل الدخول (المصادقة متعددة العوامل، المقاومة للتصيّد)',
  'portal.test.assurance': 'قوة تسجيل الدخول',
  'portal.test.assuranceProven': '{acr} (الطرق: {amr})؛ تشترط مؤسستك {required}',
  'portal.test.assuranceNothingRequired': 'لا شيء أكثر من كلمة مرور',
  'portal.test.assuranceUnknown': 'لا مستوى يعرفه Latchkey',
  'portal.test.fix.samlNoAuthnContext':
    'أجاب موفّر الهوية بأنه لا يستطيع تسجيل الدخول بالقوة المطلوبة (RequestedAuthnContext): قارن طلب الاتصال بالفئات التي يوفّرها موفّر الهوية، وتحقّق من إعداد المصادقة متعددة العوامل لتطبيق موفّر الهوية.',
  'portal.test.fix.assuranceInsufficient':
    'تشترط مؤسستك المصادقة متعددة العوامل (أو تسجيل دخول مقاومًا للتصيّد)، ولم يذكر موفّر الهوية أن عملية تسجيل الدخول هذه استخدمتها. فعّل المصادقة متعددة العوامل لهذا التطبيق لدى موفّر الهوية واجعله يصرّح بذلك (OIDC: قيمة acr أو amr مثل "mfa"؛ SAML: قيمة AuthnContextClassRef مثل http://schemas.microsoft.com/claims/multipleauthn)، أو اربط القيمة التي يرسلها موفّر الهوية في إعدادات الضمان للاتصال.',
  'portal.test.fix.signInNotFresh':
    'أجاب موفّر الهوية بتسجيل دخول سابق رغم طلب تسجيل دخول جديد (OIDC max_age=0، SAML ForceAuthn): اضبط تطبيق موفّر الهوية ليلتزم بإعادة المصادقة الإلزامية.',
  'portal.test.fix.samlStatusNotSuccess':
    'ردّ موفّر الهوية بحالة خطأ: تحقّق من أن المستخدم مُسند إلى التطبيق لدى موفّر الهوية، وراجع سجلاته.',
  'portal.test.fix.clientRejected': 'رفض موفّر الهوية معرّف العميل أو سرّه: انسخهما كليهما مرة أخرى.',
  'portal.test.fix.codeRejected':
    'رفض موفّر الهوية رمز التفويض: تحقّق من أن عنوان URI لإعادة التوجيه المسجّل هناك هو "{url}" تمامًا، وأن سرّ العميل هو الحالي.',
  'portal.test.fix.idpUnreachable':
    'تعذّر على Latchkey الوصول إلى موفّر الهوية: تحقّق من عنوان URL للمُصدِر أو للبيانات الوصفية.',
  'portal.test.fix.idToken':
    'تعذّر التحقق من رمز الهوية الصادر عن موفّر الهوية: تحقّق من المُصدِر ومعرّف العميل ومفاتيح التوقيع لدى موفّر الهوية (JWKS).',
  'portal.test.fix.saml':
    'لم يجتز رد SAML عمليات التحقق: ارفع البيانات الوصفية الحالية وقارن القيم أعلاه بتطبيق موفّر الهوية.',
  'portal.test.fix.other': 'قارن القيم التي يجب إدخالها لدى موفّر الهوية بتطبيقه، ثم أعد الاختبار.',

  'portal.directory.title': 'مزامنة الدليل',
  'portal.directory.lead': 'ينشئ موفّر الهوية هنا حسابات موظفيك ويحدّثها ويزيلها عبر SCIM 2.0.',
  'portal.directory.never': 'أبدًا',
  'portal.directory.active': 'نشط',
  'portal.directory.disabled': 'معطّل',
  'portal.directory.baseUrl': 'عنوان URL الأساسي لـ SCIM',
  'portal.directory.bearerToken': 'رمز الحامل',
  'portal.directory.tokenShownAbove': 'الرمز المعروض أعلاه',
  'portal.directory.tokenIssuedHere': 'رمز يُصدَر من هذه الصفحة',
  'portal.directory.noErrors': 'لا توجد طلبات مرفوضة.',
  'portal.directory.errorWhen': 'الوقت',
  'portal.directory.errorRequest': 'الطلب',
  'portal.directory.errorStatus': 'الحالة',
  'portal.directory.errorDetail': 'التفاصيل',
  'portal.directory.syncStatus': 'حالة المزامنة',
  'portal.directory.lastRequest': 'آخر طلب',
  'portal.directory.lastChange': 'آخر تغيير',
  'portal.directory.users': 'المستخدمون',
  'portal.directory.activeUsers': 'المستخدمون النشطون',
  'portal.directory.groups': 'المجموعات',
  'portal.directory.precision':
    'قد تتأخر الأوقات حتى {count, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} many {# ثانية} other {# ثانية}}.',
  'portal.directory.recentErrors': 'الأخطاء الأخيرة',
  'portal.directory.errorsDropped':
    '{count, plural, zero {لم يُحسب أي خطأ آخر.} one {حُسب خطأ آخر واحد ولم يُحفظ.} two {حُسب خطآن آخران ولم يُحفظا.} few {حُسبت # أخطاء أخرى ولم تُحفظ.} many {حُسب # خطأً آخر ولم تُحفظ.} other {حُسب # خطأ آخر ولم تُحفظ.}}',
  'portal.directory.tokens': 'الرموز',
  'portal.directory.noToken': 'لا يوجد رمز بعد: لا يستطيع موفّر الهوية الاتصال.',
  'portal.directory.issued': 'صدر في',
  'portal.directory.ends': 'وينتهي في',
  'portal.directory.revoke': 'إبطال',
  'portal.directory.rotate': 'تجديد الرمز',
  'portal.directory.issue': 'إصدار رمز',
  'portal.directory.rotateHint':
    'يُعرض الرمز الجديد مرة واحدة. تظل الرموز الصادرة قبله صالحة لبعض الوقت حتى تتمكن من تحديث موفّر الهوية، ثم تتوقف.',
  'portal.directory.disabledHint': 'هذا الدليل معطّل: رموزه لا تعمل.',
  'portal.directory.newToken': 'رمز SCIM الجديد',
  'portal.directory.copyNow': 'انسخه الآن: يُعرض هذه المرة فقط ولا يمكن عرضه مرة أخرى.',
  'portal.directory.setUpIdp': 'إعداد موفّر الهوية',
  'portal.directory.setUp': 'إعداد مزامنة الدليل',
  'portal.directory.nameLabel': 'الاسم (مثلًا اسم موفّر الهوية)',
  'portal.directory.revoked': 'أُبطل الرمز: لم يعد يعمل.',
  'portal.directory.error.name': 'أدخل اسمًا من 1 إلى 200 حرف.',
  'portal.directory.error.other': 'تعذّر إعداد الدليل الآن. حاول مرة أخرى.',

  'portal.directory.guide.entra.step1': 'افتح Enterprise application → Provisioning → Automatic.',
  'portal.directory.guide.entra.step2':
    'أدخل القيم أدناه، ثم اختر Test Connection (يرسل GET /Users?filter=userName eq "…" باسم عشوائي ويتوقع قائمة فارغة).',
  'portal.directory.guide.entra.attributes':
    'أبقِ على ربط السمات الافتراضي (userName ← UPN، وexternalId ← mailNickname أو objectId، وactive ← Switch([IsSoftDeleted]…))؛ السلسلة "False" التي يرسلها Entra ID للسمة active مفهومة.',
  'portal.directory.guide.okta.step1':
    'App → Provisioning → Integration: فعّل Enable API integration مع SCIM.',
  'portal.directory.guide.okta.step2':
    'Unique identifier field: ‏userName. ‏Supported actions: ‏Push New Users وPush Profile Updates (يحدّث Okta عبر PUT ويعطّل عبر active: false) وPush Groups. ‏Authentication mode: ‏HTTP Header.',
  'portal.directory.guide.okta.attributes':
    'أبقِ على الربط الافتراضي: userName وgivenName وfamilyName وemail (البريد الإلكتروني الأساسي للعمل). يرسل Push Groups عضويات المجموعات.',
  'portal.directory.guide.google.step1':
    'لا يرسل Google Workspace المستخدمين عبر SCIM إلا إلى تطبيقات كتالوجه الخاص، لذا لا يمكن توجيهه إلى عنوان URL الأساسي هذا مباشرة.',
  'portal.directory.guide.google.step2':
    'استخدم خدمة مزامنة من جهة خارجية تقرأ دليل Google وتزوّد نقطة نهاية SCIM 2.0: أعطها عنوان URL الأساسي والرمز أدناه.',
  'portal.directory.guide.google.attributes':
    'اربط userName والبريد الإلكتروني الأساسي للعمل بالبريد الأساسي في Google، وname.givenName وname.familyName بالاسم الأول واسم العائلة، وactive بكون الحساب غير موقوف. لا يرسل Google نفسه أي مجموعات.',
  'portal.directory.guide.google.caveat':
    'عبر خدمة من جهة خارجية: لا يختبر Latchkey تلك الخدمة ولا يدعمها.',
  'portal.directory.guide.google.baseUrl': 'عنوان URL الأساسي لـ SCIM (في أداة الجهة الخارجية)',
  'portal.directory.guide.onelogin.step1':
    'افتح Applications → Add App → "SCIM Provisioner with SAML (SCIM v2 Enterprise)".',
  'portal.directory.guide.onelogin.step2':
    'علامة التبويب Configuration: أدخل القيم أدناه واختر Enable لاتصال API؛ علامة التبويب Provisioning: فعّل التزويد.',
  'portal.directory.guide.onelogin.attributes':
    'أبقِ على قالب JSON الخاص بـ v2 Enterprise SCIM (userName = البريد الإلكتروني، وبريد عمل أساسي، والاسم). لا تضع المجموعات في القالب: تُرسل المجموعات عبر /Groups (Parameters → Groups، "Include in User Provisioning").',
  'portal.directory.guide.jumpcloud.step1': 'افتح SSO Applications ← تطبيقك ← Identity Management.',
  'portal.directory.guide.jumpcloud.step2':
    'اختر SCIM 2.0، وأدخل القيم أدناه، ثم Test Connection، ثم Activate؛ واربط مجموعات المستخدمين المراد تزويدها.',
  'portal.directory.guide.jumpcloud.attributes':
    'يرسل JumpCloud من سجل المستخدم userName (البريد الإلكتروني) والاسم وعناوين البريد وactive؛ فعّل Group Management لإرسال المجموعات المرتبطة.',

  'portal.audit.title': 'سجل التدقيق',
  'portal.audit.lead': 'أحداث مؤسستك، الأحدث أولًا. الأوقات بالتوقيت العالمي المنسق (UTC).',
  'portal.audit.typeLabel': 'نوع الحدث',
  'portal.audit.typeExample': 'sso.connection.* أو user.login.succeeded',
  'portal.audit.fromLabel': 'من (يوم بتوقيت UTC)',
  'portal.audit.toLabel': 'إلى (يوم بتوقيت UTC، ضمنًا)',
  'portal.audit.outcomeLabel': 'النتيجة',
  'portal.audit.any': 'الكل',
  'portal.audit.success': 'نجاح',
  'portal.audit.failure': 'إخفاق',
  'portal.audit.filter': 'تصفية',
  'portal.audit.export': 'تصدير هذه الأحداث (الأقدم أولًا، بحد أقصى {count, number}):',
  'portal.audit.time': 'الوقت',
  'portal.audit.event': 'الحدث',
  'portal.audit.actor': 'المنفّذ',
  'portal.audit.target': 'الهدف',
  'portal.audit.none': 'لا توجد أحداث مطابقة.',
  'portal.audit.older': 'أحداث أقدم ←',
  'portal.audit.error.type':
    'أدخل حتى {count} من أنواع الأحداث التي يعرفها سجل التدقيق، مفصولة بفواصل، كل منها باسمه الكامل (admin.user.deleted) أو بادئة تنتهي بـ .* (admin.user.*).',
  'portal.audit.error.unknownType':
    'لا يحتوي سجل التدقيق على نوع الحدث {name}. تسردها الوثيقة docs/audit-events.md؛ وتنتهي البادئة بـ .* (admin.user.*).',
  'portal.audit.error.date': 'أدخل تاريخًا مثل 2026-03-01.',
  'portal.audit.error.order': 'لا يجوز أن يسبق يوم "إلى" يوم "من".',
  'portal.audit.error.outcome': 'اختر نجاح أو إخفاق أو الكل.',
  'portal.audit.error.cursor': 'لم تعد قائمة الأحداث الأقدم هذه صالحة: أعد التصفية.',
  'portal.audit.error.format': 'صدّر بتنسيق CSV أو JSON Lines.',
  'portal.audit.error.tooLarge':
    'الأحداث المطابقة أكثر مما يتسع له التصدير الواحد ({count, number}). ضيّق عوامل التصفية (بفترة زمنية أقصر مثلًا).',
  'portal.audit.error.other': 'لا يمكن استخدام عوامل التصفية هذه. غيّرها وأعد التصفية.',

  'portal.sessions.title': 'الجلسات',
  'portal.sessions.lead':
    'من سجّل الدخول إلى مؤسستك الآن. إنهاء جلسة يسجّل خروج ذلك الجهاز فورًا من كل التطبيقات.',
  'portal.sessions.emailLabel': 'البريد الإلكتروني للمستخدم (العنوان أو بدايته)',
  'portal.sessions.filter': 'تصفية',
  'portal.sessions.user': 'المستخدم',
  'portal.sessions.connection': 'الاتصال',
  'portal.sessions.device': 'الجهاز',
  'portal.sessions.ip': 'عنوان IP',
  'portal.sessions.signedIn': 'تسجيل الدخول',
  'portal.sessions.lastActive': 'آخر نشاط',
  'portal.sessions.actions': 'الإجراءات',
  'portal.sessions.unknownUser': 'مستخدم غير معروف',
  'portal.sessions.unknown': 'غير معروف',
  'portal.sessions.end': 'إنهاء',
  'portal.sessions.endLabel': 'إنهاء جلسة {email} على {device}',
  'portal.sessions.endAll': 'إنهاء الكل',
  'portal.sessions.endAllLabel': 'إنهاء الكل: كل جلسات {email}',
  'portal.sessions.noneForEmail': 'لا توجد جلسات نشطة لهذا البريد الإلكتروني.',
  'portal.sessions.none': 'لا توجد جلسات نشطة.',
  'portal.sessions.next': 'الصفحة التالية ←',
  'portal.sessions.ended':
    '{count, plural, zero {لم تُنهَ أي جلسة.} one {أُنهيت جلسة واحدة.} two {أُنهيت جلستان.} few {أُنهيت # جلسات.} many {أُنهيت # جلسة.} other {أُنهيت # جلسة.}}',
  'portal.sessions.error.email': 'أدخل 320 حرفًا على الأكثر: عنوان بريد إلكتروني أو بدايته.',
};
