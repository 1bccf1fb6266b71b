import type { Catalog } from './en.js';
import { portalOpsAr } from './portal-ops/ar.js';
import { portalSetupAr } from './portal-setup/ar.js';

/**
 * العربية الفصحى المعاصرة، من اليمين إلى اليسار (dir="rtl"). الجمع بفئات CLDR الست:
 * zero وone وtwo وfew وmany وother.
 */
export const ar: Catalog = {
  'layout.footer': 'تسجيل دخول آمن لمؤسستك',
  'layout.language': 'اللغة',

  'common.continue': 'متابعة',
  'common.useAnotherEmail': 'استخدام بريد إلكتروني آخر',
  'common.signOut': 'تسجيل الخروج',

  'login.title': 'تسجيل الدخول',
  'login.heading': 'سجّل الدخول إلى مساحة عملك',
  'login.lead': 'استخدم بريدك الإلكتروني للعمل، وسننقلك إلى صفحة تسجيل الدخول الخاصة بشركتك.',
  'login.emailLabel': 'البريد الإلكتروني للعمل',
  'login.domainUnknown':
    'لا نتعرّف على المؤسسة التي يتبع لها هذا البريد الإلكتروني. تحقّق من العنوان، أو اسأل فريق تقنية المعلومات لديك عمّا إذا كانت شركتك تستخدم Latchkey.',
  'login.orgNotReady': 'لم تُكمل مؤسستك إعداد تسجيل الدخول بعد. تواصل مع فريق تقنية المعلومات لديك.',
  'login.emailMissing': 'أدخل بريدك الإلكتروني للعمل.',
  'login.cancelled': 'تم إلغاء تسجيل الدخول. أدخل بريدك الإلكتروني للعمل للبدء من جديد.',

  'confirmConnection.title': 'متابعة تسجيل الدخول',
  'confirmConnection.lead':
    'يريد رابط من موقع آخر بدء عملية تسجيل دخول. لا تتابع إلا إذا كنت تقصد تسجيل الدخول الآن بحساب العمل الخاص بك.',
  'confirmConnection.leadWithEmail':
    'يريد رابط من موقع آخر بدء عملية تسجيل دخول (ويقترح {email}). لا تتابع إلا إذا كنت تقصد تسجيل الدخول الآن بحساب العمل الخاص بك.',
  'confirmConnection.button': 'المتابعة إلى تسجيل الدخول الخاص بشركتك',

  'switchAccount.title': 'تبديل الحساب؟',
  'switchAccount.lead': 'أنت مسجّل الدخول باسم {current}.',
  'switchAccount.body':
    'يريد تسجيل دخول خاص بالشركة لم تبدأه هنا أن يسجّل دخول هذا المتصفح باسم {email} بدلاً من ذلك. لا تتابع إلا إذا كنت تقصد ذلك.',
  'switchAccount.continue': 'المتابعة باسم {email}',
  'switchAccount.stay': 'البقاء مسجّلاً باسم {current}',

  'chooser.title': 'اختر طريقة تسجيل الدخول',

  'handoff.signOutTitle': 'جارٍ تسجيل خروجك',
  'handoff.signOutHeading': 'جارٍ تسجيل خروجك…',
  'handoff.signOutLead': 'يجري تسجيل خروجك من تسجيل الدخول الخاص بشركتك أيضاً.',
  'handoff.idpTitle': 'متابعة تسجيل الدخول',
  'handoff.idpHeading': 'جارٍ الانتقال إلى تسجيل الدخول الخاص بشركتك…',
  'handoff.idpLead': 'يجري نقلك إلى صفحة تسجيل الدخول الخاصة بشركتك.',

  'account.title': 'حسابك',
  'account.heading': 'مسجّل الدخول باسم {name}',
  'account.sessions': 'الأماكن التي سجّلت الدخول منها',
  'account.device': 'الجهاز',
  'account.connection': 'طريقة تسجيل الدخول',
  'account.ip': 'عنوان IP',
  'account.signedIn': 'وقت تسجيل الدخول',
  'account.lastActive': 'آخر نشاط',
  'account.action': 'إجراء',
  'account.thisDevice': 'هذا الجهاز',
  'account.unknown': 'غير معروف',
  'account.signOutThisDevice': 'تسجيل الخروج من هذا الجهاز',
  'account.signOutSessionOn': 'تسجيل الخروج من الجلسة على {device}',
  'account.signOutOthers': 'تسجيل الخروج من جميع الجلسات الأخرى',
  'account.signOutEverywhere': 'تسجيل الخروج من كل مكان',
  'account.ended':
    '{count, plural, zero {لم يتم تسجيل الخروج من أي جلسة أخرى.} one {تم تسجيل الخروج من جلسة أخرى واحدة.} two {تم تسجيل الخروج من جلستين أخريين.} few {تم تسجيل الخروج من # جلسات أخرى.} many {تم تسجيل الخروج من # جلسة أخرى.} other {تم تسجيل الخروج من # جلسة أخرى.}}',
  'account.time': '{time} UTC',

  'device.name': '{browser} على {system}',
  'device.unknown': 'جهاز غير معروف',
  'device.unknownBrowser': 'متصفح',
  'device.unknownSystem': 'نظام غير معروف',

  'signedOut.title': 'تم تسجيل الخروج',
  'signedOut.heading': 'لقد سجّلت الخروج',
  'signedOut.lead': 'تم تسجيل خروجك من Latchkey. يمكنك إغلاق هذه النافذة.',
  'signedOut.signInAgain': 'تسجيل الدخول مجدداً',

  'confirmLogout.title': 'تسجيل الخروج؟',
  'confirmLogout.lead': 'طلب أحد التطبيقات تسجيل خروجك من Latchkey.',

  'error.signInFailed': 'تعذّر تسجيل دخولك',
  'error.tooMany': 'محاولات كثيرة جداً',
  'error.badRequest': 'طلب غير صالح',
  'error.signInRequired': 'يلزم تسجيل الدخول',
  'error.notAllowed': 'غير مسموح',
  'error.notFound': 'غير موجود',
  'error.methodNotAllowed': 'الطريقة غير مسموح بها',
  'error.conflict': 'تعارض',
  'error.preconditionFailed': 'لم يتحقق شرط مسبق',
  'error.tooLarge': 'الطلب كبير جداً',
  'error.unsupportedMediaType': 'صيغة غير مدعومة',
  'error.unavailable': 'غير متاح مؤقتاً',
  'error.somethingWrong': 'حدث خطأ ما',
  'error.itDetails': 'تفاصيل لفريق تقنية المعلومات',
  'error.reason': 'السبب',
  'error.message': 'الرسالة',
  'error.correlationId': 'معرّف الارتباط',
  'error.correlationHint': 'أعطهم معرّف الارتباط: فهو يمكّنهم من العثور على هذه المحاولة في السجلات.',
  'error.backToSignIn': 'العودة إلى تسجيل الدخول',

  'advice.startAgain.happened': 'استغرق تسجيل الدخول وقتاً طويلاً، أو بدأ في نافذة أو متصفح آخر.',
  'advice.startAgain.todo': 'ابدأ من جديد من صفحة تسجيل الدخول، في هذا المتصفح.',
  'advice.idpSetup.happened': 'ردّت خدمة تسجيل الدخول الخاصة بشركتك بطريقة لم نتمكن من التحقق منها.',
  'advice.idpSetup.todo':
    'يتطلب هذا تغييراً في إعداد تسجيل الدخول لدى شركتك: تواصل مع مسؤول تقنية المعلومات وأعطه التفاصيل أدناه.',
  'advice.idpDown.happened': 'خدمة تسجيل الدخول الخاصة بشركتك لا تستجيب حالياً.',
  'advice.idpDown.todo':
    'حاول مرة أخرى بعد بضع دقائق. إذا تكرر ذلك، فتواصل مع مسؤول تقنية المعلومات.',
  'advice.idpRefused.happened': 'لم تُكمل خدمة تسجيل الدخول الخاصة بشركتك عملية تسجيل الدخول.',
  'advice.idpRefused.todo':
    'حاول مرة أخرى. إذا تكرر ذلك، فتواصل مع مسؤول تقنية المعلومات وأعطه التفاصيل أدناه.',
  'advice.account.happened': 'لا يمكن لحسابك تسجيل الدخول هنا.',
  'advice.account.todo': 'تواصل مع مسؤول تقنية المعلومات وأعطه التفاصيل أدناه.',
  'advice.emailDomain.happened':
    'عنوان البريد الإلكتروني الذي أرسلته شركتك لا ينتمي إلى أيٍّ من نطاقات العمل الخاصة بها هنا.',
  'advice.emailDomain.todo':
    'سجّل الدخول باستخدام بريدك الإلكتروني للعمل. إذا كان هذا ما استخدمته، فتواصل مع مسؤول تقنية المعلومات.',
  'advice.emailNotVerified.happened': 'لم تؤكد شركتك عنوان بريدك الإلكتروني.',
  'advice.emailNotVerified.todo':
    'تواصل مع مسؤول تقنية المعلومات: يجب التحقق من عنوان بريدك الإلكتروني في خدمة تسجيل الدخول الخاصة بشركتك.',
  'advice.assurance.happened':
    'تشترط مؤسستك تسجيل دخول أقوى، مثل خطوة ثانية (رمز أو مفتاح أمان أو تأكيد في تطبيق)، ولم تُبلغ خدمة تسجيل الدخول في شركتك عن أي خطوة منها.',
  'advice.assurance.todo':
    'سجّل الدخول مرة أخرى وأكمل الخطوة الإضافية التي تطلبها خدمة تسجيل الدخول في شركتك. إذا لم تطلب أي خطوة، فاتصل بمسؤول تقنية المعلومات.',
  'advice.orgDisabled.happened': 'لا يمكن لمؤسستك تسجيل الدخول حالياً.',
  'advice.orgDisabled.todo': 'تواصل مع مسؤول تقنية المعلومات.',
  'advice.connectionUnavailable.happened': 'خيار تسجيل الدخول هذا لم يعد متاحاً.',
  'advice.connectionUnavailable.todo':
    'ابدأ من جديد من صفحة تسجيل الدخول باستخدام بريدك الإلكتروني للعمل.',
  'advice.protocolUnavailable.happened': 'خيار تسجيل الدخول هذا لم يُعدّ بعد.',
  'advice.protocolUnavailable.todo':
    'ابدأ من جديد من صفحة تسجيل الدخول، أو تواصل مع مسؤول تقنية المعلومات.',
  'advice.crossSite.happened': 'بدأت عملية تسجيل الدخول هذه من موقع ويب آخر.',
  'advice.crossSite.todo': 'ابدأ من جديد من صفحة تسجيل الدخول.',
  'advice.csrf.happened': 'ظل هذا النموذج مفتوحاً مدة طويلة، أو جاء من صفحة أخرى.',
  'advice.csrf.todo': 'أعد تحميل الصفحة وحاول مرة أخرى.',
  'advice.notFound.happened': 'لا يوجد شيء في هذا العنوان.',
  'advice.notFound.todo': 'تحقّق من العنوان، أو ابدأ من جديد من صفحة تسجيل الدخول.',
  'advice.returnTo.happened': 'يشير رابط تسجيل الدخول هذا إلى وجهة لن نرسلك إليها.',
  'advice.returnTo.todo': 'ابدأ من جديد من تطبيقك، أو من صفحة تسجيل الدخول.',
  'advice.generic.happened': 'حدث خطأ ما في هذا الطلب.',
  'advice.generic.todo':
    'ابدأ من جديد من صفحة تسجيل الدخول. إذا تكرر ذلك، فتواصل مع مسؤول تقنية المعلومات وأعطه التفاصيل أدناه.',
  'advice.tooManySignIns':
    'محاولات تسجيل دخول كثيرة جداً. يُرجى الانتظار {wait} ثم المحاولة مرة أخرى.',
  'advice.tooMany': 'طلبات كثيرة جداً. يُرجى الانتظار {wait} ثم المحاولة مرة أخرى.',

  'wait.seconds':
    '{count, plural, zero {# ثانية} one {ثانية واحدة} two {ثانيتين} few {# ثوانٍ} many {# ثانية} other {# ثانية}}',
  'wait.minutes':
    '{count, plural, zero {# دقيقة} one {دقيقة واحدة} two {دقيقتين} few {# دقائق} many {# دقيقة} other {# دقيقة}}',
  'wait.hours':
    '{count, plural, zero {# ساعة} one {ساعة واحدة} two {ساعتين} few {# ساعات} many {# ساعة} other {# ساعة}}',

  // The setup portal: its own parts, one per group of steps.
  ...portalSetupAr,
  ...portalOpsAr,
};
