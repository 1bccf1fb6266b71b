import type { Catalog } from './en.js';
import { portalOpsJa } from './portal-ops/ja.js';
import { portalSetupJa } from './portal-setup/ja.js';

/** 日本語：です・ます調。英数字の前後には半角スペース（「IT チーム」）。 */
export const ja: Catalog = {
  'layout.footer': '組織のための安全なサインイン',
  'layout.language': '言語',

  'common.continue': '続行',
  'common.useAnotherEmail': '別のメールアドレスを使用',
  'common.signOut': 'サインアウト',

  'login.title': 'サインイン',
  'login.heading': 'ワークスペースにサインイン',
  'login.lead': '仕事用のメールアドレスを入力してください。会社のサインインページへご案内します。',
  'login.emailLabel': '仕事用メールアドレス',
  'login.domainUnknown':
    'このメールアドレスの組織が見つかりません。アドレスを確認するか、会社で Latchkey を利用しているか IT チームにお問い合わせください。',
  'login.orgNotReady':
    '組織のサインイン設定がまだ完了していません。IT チームにお問い合わせください。',
  'login.emailMissing': '仕事用のメールアドレスを入力してください。',
  'login.cancelled':
    'サインインはキャンセルされました。もう一度始めるには、仕事用のメールアドレスを入力してください。',

  'confirmConnection.title': 'サインインを続行',
  'confirmConnection.lead':
    '別のサイトのリンクがサインインを開始しようとしています。今ご自身の仕事用アカウントでサインインするつもりだった場合のみ、続行してください。',
  'confirmConnection.leadWithEmail':
    '別のサイトのリンクがサインインを開始しようとしています（{email} が指定されています）。今ご自身の仕事用アカウントでサインインするつもりだった場合のみ、続行してください。',
  'confirmConnection.button': '会社のサインインに進む',

  'switchAccount.title': 'アカウントを切り替えますか？',
  'switchAccount.lead': '{current} としてサインインしています。',
  'switchAccount.body':
    'ここで開始していない会社のサインインが、このブラウザを {email} としてサインインさせようとしています。意図したものである場合のみ、続行してください。',
  'switchAccount.continue': '{email} として続行',
  'switchAccount.stay': '{current} のままにする',

  'chooser.title': 'サインイン方法を選択',

  'handoff.signOutTitle': 'サインアウト中',
  'handoff.signOutHeading': 'サインアウトしています…',
  'handoff.signOutLead': '会社のサインインからもサインアウトしています。',
  'handoff.idpTitle': 'サインインを続行中',
  'handoff.idpHeading': '会社のサインインに移動しています…',
  'handoff.idpLead': '会社のサインインページに移動します。',

  'account.title': 'アカウント',
  'account.heading': '{name} としてサインイン中',
  'account.sessions': 'サインイン中のセッション',
  'account.device': 'デバイス',
  'account.connection': 'サインイン方法',
  'account.ip': 'IP アドレス',
  'account.signedIn': 'サインイン日時',
  'account.lastActive': '最終アクティビティ',
  'account.action': '操作',
  'account.thisDevice': 'このデバイス',
  'account.unknown': '不明',
  'account.signOutThisDevice': 'このデバイスからサインアウト',
  'account.signOutSessionOn': '{device} のセッションからサインアウト',
  'account.signOutOthers': '他のすべてのセッションからサインアウト',
  'account.signOutEverywhere': 'すべての場所からサインアウト',
  'account.ended': '{count, plural, other {他の # 件のセッションからサインアウトしました。}}',
  'account.time': '{time} UTC',

  'device.name': '{system} の {browser}',
  'device.unknown': '不明なデバイス',
  'device.unknownBrowser': 'ブラウザ',
  'device.unknownSystem': '不明なシステム',

  'signedOut.title': 'サインアウト済み',
  'signedOut.heading': 'サインアウトしました',
  'signedOut.lead': 'Latchkey からサインアウトしました。このウィンドウは閉じてかまいません。',
  'signedOut.signInAgain': 'もう一度サインイン',

  'confirmLogout.title': 'サインアウトしますか？',
  'confirmLogout.lead': 'アプリケーションから、Latchkey からのサインアウトが求められています。',

  'error.signInFailed': 'サインインできませんでした',
  'error.tooMany': '試行回数が多すぎます',
  'error.badRequest': '不正なリクエスト',
  'error.signInRequired': 'サインインが必要です',
  'error.notAllowed': '許可されていません',
  'error.notFound': '見つかりません',
  'error.methodNotAllowed': '許可されていないメソッドです',
  'error.conflict': '競合が発生しました',
  'error.preconditionFailed': '前提条件を満たしていません',
  'error.tooLarge': 'リクエストが大きすぎます',
  'error.unsupportedMediaType': 'サポートされていない形式です',
  'error.unavailable': '一時的に利用できません',
  'error.somethingWrong': '問題が発生しました',
  'error.itDetails': 'IT チーム向けの詳細',
  'error.reason': '理由',
  'error.message': 'メッセージ',
  'error.correlationId': '相関 ID',
  'error.correlationHint':
    '相関 ID を IT チームに伝えてください。ログからこの試行を見つけられます。',
  'error.backToSignIn': 'サインインに戻る',

  'advice.startAgain.happened':
    'サインインに時間がかかりすぎたか、別のウィンドウまたはブラウザで開始されました。',
  'advice.startAgain.todo': 'このブラウザで、サインインページからやり直してください。',
  'advice.idpSetup.happened': '会社のサインインサービスからの応答を検証できませんでした。',
  'advice.idpSetup.todo':
    '会社のサインイン設定の変更が必要です。IT 管理者に連絡し、以下の詳細を伝えてください。',
  'advice.idpDown.happened': '会社のサインインサービスが現在応答していません。',
  'advice.idpDown.todo':
    '数分後にもう一度お試しください。問題が続く場合は、IT 管理者に連絡してください。',
  'advice.idpRefused.happened': '会社のサインインサービスでサインインが完了しませんでした。',
  'advice.idpRefused.todo':
    'もう一度お試しください。問題が続く場合は、IT 管理者に連絡し、以下の詳細を伝えてください。',
  'advice.account.happened': 'お使いのアカウントはここではサインインできません。',
  'advice.account.todo': 'IT 管理者に連絡し、以下の詳細を伝えてください。',
  'advice.emailDomain.happened':
    '会社から送られたメールアドレスは、ここに登録されている会社のドメインのものではありません。',
  'advice.emailDomain.todo':
    '仕事用のメールアドレスでサインインしてください。それを使用していた場合は、IT 管理者に連絡してください。',
  'advice.emailNotVerified.happened': '会社がお使いのメールアドレスを確認していません。',
  'advice.emailNotVerified.todo':
    'IT 管理者に連絡してください。メールアドレスは会社のサインインサービスで確認済みである必要があります。',
  'advice.assurance.happened':
    '組織ではより強固なサインイン（コード、セキュリティキー、アプリでの承認などの2段階目）が必要ですが、会社のサインインサービスからその報告がありませんでした。',
  'advice.assurance.todo':
    'もう一度サインインし、会社のサインインサービスが求める追加の手順を完了してください。追加の手順が求められない場合は、IT管理者に連絡してください。',
  'advice.orgDisabled.happened': 'お使いの組織は現在サインインできません。',
  'advice.orgDisabled.todo': 'IT 管理者に連絡してください。',
  'advice.connectionUnavailable.happened': 'このサインイン方法はもう利用できません。',
  'advice.connectionUnavailable.todo':
    '仕事用のメールアドレスを使って、サインインページからやり直してください。',
  'advice.protocolUnavailable.happened': 'このサインイン方法はまだ設定されていません。',
  'advice.protocolUnavailable.todo':
    'サインインページからやり直すか、IT 管理者に連絡してください。',
  'advice.crossSite.happened': 'このサインインは別のウェブサイトから開始されました。',
  'advice.crossSite.todo': 'サインインページからやり直してください。',
  'advice.csrf.happened':
    'このフォームを開いていた時間が長すぎるか、別のページから送信されました。',
  'advice.csrf.todo': 'ページを再読み込みして、もう一度お試しください。',
  'advice.notFound.happened': 'このアドレスには何もありません。',
  'advice.notFound.todo': 'アドレスを確認するか、サインインページからやり直してください。',
  'advice.returnTo.happened': 'このサインインリンクの移動先には、お送りすることができません。',
  'advice.returnTo.todo': 'アプリケーションまたはサインインページからやり直してください。',
  'advice.generic.happened': 'このリクエストの処理中に問題が発生しました。',
  'advice.generic.todo':
    'サインインページからやり直してください。問題が続く場合は、IT 管理者に連絡し、以下の詳細を伝えてください。',
  'advice.tooManySignIns':
    'サインインの試行回数が多すぎます。{wait}待ってから、もう一度お試しください。',
  'advice.tooMany': 'リクエストが多すぎます。{wait}待ってから、もう一度お試しください。',

  'wait.seconds': '{count, plural, other {#秒}}',
  'wait.minutes': '{count, plural, other {#分}}',
  'wait.hours': '{count, plural, other {#時間}}',

  // The setup portal: its own parts, one per group of steps.
  ...portalSetupJa,
  ...portalOpsJa,
};
