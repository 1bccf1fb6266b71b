import type { PortalOpsPart } from './en.js';

/** 日本語（です・ます調）：テストサインイン、ディレクトリ同期、監査ログ、セッション。 */
export const portalOpsJa: PortalOpsPart = {
  'portal.ops.allSteps': '← すべての手順',

  'portal.test.passedTitle': 'テストサインインに成功しました',
  'portal.test.failedTitle': 'テストサインインに失敗しました',
  'portal.test.pendingTitle': 'テストサインインは完了していません',
  'portal.test.reason': '理由：',
  'portal.test.pending':
    'IdP からまだ応答がありません。開いたタブでサインインを完了するか、もう一度テストしてください。',
  'portal.test.wouldSucceed': 'この接続でのサインインは成功します。',
  'portal.test.received': '受け取った内容',
  'portal.test.subject': 'サブジェクト（sub）',
  'portal.test.nameIdFormat': 'NameID の形式',
  'portal.test.email': 'メールアドレス',
  'portal.test.emailVerified': 'メールアドレスの確認',
  'portal.test.yes': '確認済み',
  'portal.test.no': '未確認',
  'portal.test.displayName': '表示名',
  'portal.test.groups': 'グループ',
  'portal.test.roles': 'Latchkey でのロール',
  'portal.test.noRoleMapping': 'ロールの対応付けなし',
  'portal.test.none': 'なし',
  'portal.test.checks': 'チェック',
  'portal.test.checkPassed': '✓ 合格',
  'portal.test.checkFailed': '✗ 不合格',
  'portal.test.check.orgActive': '組織がサインインできる状態です',
  'portal.test.check.subjectPresent': 'IdP がユーザーを示しました（NameID または sub）',
  'portal.test.check.emailUsable': 'メールアドレスを受け取りました',
  'portal.test.check.emailDomainAllowed':
    'メールアドレスのドメインが確認済みドメインのいずれかです',
  'portal.test.check.emailVerified': 'メールアドレスが確認済みです（組織で必須としている場合）',
  'portal.test.everything': 'IdP が送信したすべての値（{count}）',
  'portal.test.activate': '{name} を有効にする',
  'portal.test.again': 'もう一度テストサインインする',
  'portal.test.finishedTitle': 'テストサインインが終了しました',
  'portal.test.finishedLead':
    'ID プロバイダーから応答がありました。受け取った内容をご確認ください：',
  'portal.test.seeResult': '結果を見る',
  'portal.test.notActivatedTitle': '有効化されませんでした',
  'portal.test.notActivatedHeading': '{name} は有効化されませんでした',
  'portal.test.backTo': '← {name} に戻る',
  'portal.test.refused.untested':
    'この接続を有効にする前に、成功するテストサインインを実行してください。',
  'portal.test.refused.changed':
    '前回テストサインインに成功した後で接続が変更されました。有効にする前にもう一度テストしてください。',
  'portal.test.refused.checkFailed':
    '接続がライブチェックに合格しませんでした。IdP またはこの画面で修正してから、もう一度有効にしてください。',
  'portal.test.refused.other':
    '現在この接続を有効にできません。ページを再読み込みして、もう一度お試しください。',

  'portal.test.fix.emailMissingSaml':
    'IdP から使用できるメールアドレスが送信されませんでした。ユーザーのメールアドレスを値とする「{attribute}」という名前の属性ステートメントを追加してください（または NameID を emailAddress 形式で送信してください）。',
  'portal.test.fix.emailMissingOidc':
    'IdP から使用できる email クレームが送信されませんでした。「email」スコープを含め、ユーザーが IdP にメールアドレスを持っていることを確認してください。',
  'portal.test.fix.subjectMissingSaml':
    'IdP から使用できる NameID が送信されませんでした（transient の NameID はサインインのたびに変わります）。persistent または emailAddress の NameID を送信してください。',
  'portal.test.fix.subjectMissingOidc': 'ID トークンにサブジェクト（「sub」）がありません。',
  'portal.test.fix.emailDomainNotAllowed':
    'メールアドレスのドメインが組織の確認済みドメインではありません。「ドメイン」の手順でそのドメインを確認するか、確認済みドメインのアドレスでサインインしてください。',
  'portal.test.fix.emailNotVerified':
    '組織では確認済みのメールアドレスが必須ですが、IdP はこのアドレスを確認済みとして示しませんでした（OIDC：email_verified が true である必要があります）。',
  'portal.test.fix.orgDisabled':
    '組織が無効になっています。プラットフォームチームにお問い合わせください。',
  'portal.test.fix.idpAccessDenied':
    'IdP でサインインがキャンセルされたか拒否されました。IdP でご自身のアカウントがアプリケーションに割り当てられていることを確認してから、もう一度テストしてください。',
  'portal.test.fix.issuerMismatch':
    'IdP が設定とは異なる発行者で応答しました。発行者 URL を正確に確認してください（末尾のスラッシュも含みます）。',
  'portal.test.fix.samlIssuerMismatch':
    '応答の Issuer がメタデータ内の IdP エンティティ ID と一致しません。このアプリケーションのメタデータをもう一度アップロードしてください。',
  'portal.test.fix.samlAudienceMismatch':
    'アサーションの Audience は正確に「{url}」である必要があります。IdP でアプリケーションの SP エンティティ ID（Audience URI）としてこの値を設定してください。',
  'portal.test.fix.audienceMismatch':
    'ID トークンのオーディエンスがこの接続のクライアント ID ではありません。クライアント ID を確認してください。',
  'portal.test.fix.samlDestinationMismatch':
    '応答は別のアドレス宛てに送信されました。IdP で ACS（応答）URL を正確に「{url}」に設定してください。',
  'portal.test.fix.samlRecipientMismatch':
    'アサーションの Recipient は正確に「{url}」である必要があります。IdP で ACS（応答）URL としてこの値を設定してください。',
  'portal.test.fix.samlSignatureInvalid':
    'IdP の証明書で署名を検証できませんでした。IdP が署名証明書を更新した可能性があります。現在のメタデータをもう一度アップロードしてください。',
  'portal.test.fix.samlCertificateUnknown':
    '応答は接続が認識していない証明書で署名されていました。IdP の現在のメタデータをアップロードしてください。',
  'portal.test.fix.samlAssertionUnsigned':
    'アサーションには署名が必要です。アサーション（または応答とアサーション）に署名するよう IdP を設定してください。',
  'portal.test.fix.samlSignatureAlgorithmWeak':
    'IdP は SHA-1 で署名しています。RSA-SHA256（またはより強力な方式）に設定してください。',
  'portal.test.fix.samlAssertionExpired':
    'アサーションは到着時に期限切れでした。IdP サーバーの時刻を確認してください。',
  'portal.test.fix.samlAssertionNotYetValid':
    'アサーションはまだ有効になっていません。IdP サーバーの時刻を確認してください。',
  'portal.test.check.assuranceSufficient':
    '組織のサインイン強度ポリシー（MFA、フィッシング耐性）を満たしています',
  'portal.test.assurance': 'サインインの強度',
  'portal.test.assuranceProven': '{acr}（方式: {amr}）。組織の要件: {required}',
  'portal.test.assuranceNothingRequired': 'パスワードのみ',
  'portal.test.assuranceUnknown': 'Latchkey が認識できるレベルなし',
  'portal.test.fix.samlNoAuthnContext':
    'IdP は、要求された強度でサインインできないと応答しました（RequestedAuthnContext）。接続の要求内容を IdP が提供するクラスと照合し、IdP のアプリケーションに MFA が設定されていることを確認してください。',
  'portal.test.fix.assuranceInsufficient':
    '組織は MFA（またはフィッシング耐性のあるサインイン）を必須としていますが、IdP はこのサインインでそれが使われたことを示しませんでした。IdP でこのアプリケーションの MFA を有効にし、それを通知させてください（OIDC: 「mfa」などの acr または amr、SAML: http://schemas.microsoft.com/claims/multipleauthn などの AuthnContextClassRef）。または、IdP が送る値を接続の保証設定で対応付けてください。',
  'portal.test.fix.signInNotFresh':
    '新しいサインインが要求されたにもかかわらず、IdP は以前のサインインで応答しました（OIDC max_age=0、SAML ForceAuthn）。強制再認証に従うよう IdP のアプリケーションを設定してください。',
  'portal.test.fix.samlStatusNotSuccess':
    'IdP がエラーステータスで応答しました。IdP でユーザーがアプリケーションに割り当てられていることを確認し、IdP のログをご確認ください。',
  'portal.test.fix.clientRejected':
    'IdP がクライアント ID またはシークレットを拒否しました。両方をもう一度コピーしてください。',
  'portal.test.fix.codeRejected':
    'IdP が認可コードを拒否しました。IdP に登録されたリダイレクト URI が正確に「{url}」であること、およびクライアントシークレットが最新であることを確認してください。',
  'portal.test.fix.idpUnreachable':
    'Latchkey から IdP に接続できませんでした。発行者またはメタデータの URL を確認してください。',
  'portal.test.fix.idToken':
    'IdP の ID トークンを検証できませんでした。発行者、クライアント ID、IdP の署名鍵（JWKS）を確認してください。',
  'portal.test.fix.saml':
    'SAML 応答がチェックに合格しませんでした。現在のメタデータをアップロードし、上記の値を IdP のアプリケーションと比較してください。',
  'portal.test.fix.other':
    'IdP に入力する値を IdP のアプリケーションと比較してから、もう一度テストしてください。',

  'portal.directory.title': 'ディレクトリ同期',
  'portal.directory.lead': 'ID プロバイダーが SCIM 2.0 でここにユーザーを作成、更新、削除します。',
  'portal.directory.never': 'なし',
  'portal.directory.active': '有効',
  'portal.directory.disabled': '無効',
  'portal.directory.baseUrl': 'SCIM ベース URL',
  'portal.directory.bearerToken': 'ベアラートークン',
  'portal.directory.tokenShownAbove': '上に表示されたトークン',
  'portal.directory.tokenIssuedHere': 'このページで発行したトークン',
  'portal.directory.noErrors': '拒否されたリクエストはありません。',
  'portal.directory.errorWhen': '日時',
  'portal.directory.errorRequest': 'リクエスト',
  'portal.directory.errorStatus': 'ステータス',
  'portal.directory.errorDetail': '詳細',
  'portal.directory.syncStatus': '同期の状態',
  'portal.directory.lastRequest': '最後のリクエスト',
  'portal.directory.lastChange': '最後の変更',
  'portal.directory.users': 'ユーザー',
  'portal.directory.activeUsers': '有効なユーザー',
  'portal.directory.groups': 'グループ',
  'portal.directory.precision': '時刻は最大 {count, plural, other {# 秒}} 遅れることがあります。',
  'portal.directory.recentErrors': '最近のエラー',
  'portal.directory.errorsDropped':
    '{count, plural, other {ほかに # 件が記録されましたが、保存されていません。}}',
  'portal.directory.tokens': 'トークン',
  'portal.directory.noToken': 'トークンはまだありません。ID プロバイダーは接続できません。',
  'portal.directory.issued': '発行',
  'portal.directory.ends': '終了',
  'portal.directory.revoke': '取り消す',
  'portal.directory.rotate': 'トークンを更新する',
  'portal.directory.issue': 'トークンを発行する',
  'portal.directory.rotateHint':
    '新しいトークンは一度だけ表示されます。以前に発行したトークンは、ID プロバイダーを更新できるようしばらくの間使用でき、その後は使用できなくなります。',
  'portal.directory.disabledHint': 'このディレクトリは無効です。トークンは使用できません。',
  'portal.directory.newToken': '新しい SCIM トークン',
  'portal.directory.copyNow':
    '今すぐコピーしてください。表示されるのはこの一度だけで、再表示はできません。',
  'portal.directory.setUpIdp': 'ID プロバイダーを設定する',
  'portal.directory.setUp': 'ディレクトリ同期を設定する',
  'portal.directory.nameLabel': '名前（例：ID プロバイダー名）',
  'portal.directory.revoked': 'トークンを取り消しました。今後は使用できません。',
  'portal.directory.error.name': '1～200 文字の名前を入力してください。',
  'portal.directory.error.other': '現在ディレクトリを設定できません。もう一度お試しください。',

  'portal.directory.guide.entra.step1':
    'Enterprise application → Provisioning → Automatic を開きます。',
  'portal.directory.guide.entra.step2':
    '下の値を入力し、Test Connection を実行します（ランダムな名前で GET /Users?filter=userName eq "…" を送信し、空のリストが返ることを確認します）。',
  'portal.directory.guide.entra.attributes':
    '既定の属性マッピングはそのままにしてください（userName ← UPN、externalId ← mailNickname または objectId、active ← Switch([IsSoftDeleted]…)）。Entra ID が active に送信する文字列 "False" も解釈されます。',
  'portal.directory.guide.okta.step1':
    'App → Provisioning → Integration で、SCIM による Enable API integration を有効にします。',
  'portal.directory.guide.okta.step2':
    'Unique identifier field：userName。Supported actions：Push New Users、Push Profile Updates（Okta は PUT で更新し、active: false で無効化します）、Push Groups。Authentication mode：HTTP Header。',
  'portal.directory.guide.okta.attributes':
    '既定のマッピングはそのままにしてください：userName、givenName、familyName、email（主な仕事用メールアドレス）。Push Groups でグループのメンバーシップが送信されます。',
  'portal.directory.guide.google.step1':
    'Google Workspace は SCIM でのユーザー送信を自社カタログのアプリに限っているため、このベース URL を直接指定することはできません。',
  'portal.directory.guide.google.step2':
    'Google ディレクトリを読み取り、SCIM 2.0 エンドポイントにプロビジョニングするサードパーティの同期サービスを使用し、下のベース URL とトークンを設定してください。',
  'portal.directory.guide.google.attributes':
    'userName と主な仕事用メールアドレスを Google のメインのメールアドレスに、name.givenName と name.familyName を名と姓に、active をアカウントが停止されていないことに対応付けてください。Google 自体はグループを送信しません。',
  'portal.directory.guide.google.caveat':
    'サードパーティのサービスを経由します。Latchkey はそのサービスのテストやサポートを行いません。',
  'portal.directory.guide.google.baseUrl': 'SCIM ベース URL（サードパーティのツールで設定）',
  'portal.directory.guide.onelogin.step1':
    'Applications → Add App →「SCIM Provisioner with SAML (SCIM v2 Enterprise)」を開きます。',
  'portal.directory.guide.onelogin.step2':
    'Configuration タブで下の値を入力し、API 接続を Enable にします。Provisioning タブでプロビジョニングを有効にします。',
  'portal.directory.guide.onelogin.attributes':
    'v2 Enterprise SCIM の JSON テンプレートはそのままにしてください（userName = メールアドレス、主な仕事用メールアドレス、名前）。テンプレートにグループを入れないでください。グループは /Groups で送信されます（Parameters → Groups、「Include in User Provisioning」）。',
  'portal.directory.guide.jumpcloud.step1':
    'SSO Applications → 対象のアプリケーション → Identity Management を開きます。',
  'portal.directory.guide.jumpcloud.step2':
    'SCIM 2.0 を選択し、下の値を入力して Test Connection を実行してから Activate を選択します。プロビジョニングするユーザーグループをバインドしてください。',
  'portal.directory.guide.jumpcloud.attributes':
    'JumpCloud はユーザーレコードから userName（メールアドレス）、名前、メールアドレス、active を送信します。バインドしたグループを送信するには Group Management を有効にしてください。',

  'portal.audit.title': '監査ログ',
  'portal.audit.lead': '組織のイベントを新しい順に表示します。時刻は UTC です。',
  'portal.audit.typeLabel': 'イベントの種類',
  'portal.audit.typeExample': 'sso.connection.* または user.login.succeeded',
  'portal.audit.fromLabel': '開始日（UTC）',
  'portal.audit.toLabel': '終了日（UTC、当日を含む）',
  'portal.audit.outcomeLabel': '結果',
  'portal.audit.any': 'すべて',
  'portal.audit.success': '成功',
  'portal.audit.failure': '失敗',
  'portal.audit.filter': '絞り込む',
  'portal.audit.export': 'これらのイベントをエクスポート（古い順、最大 {count, number} 件）：',
  'portal.audit.time': '日時',
  'portal.audit.event': 'イベント',
  'portal.audit.actor': '実行者',
  'portal.audit.target': '対象',
  'portal.audit.none': '一致するイベントはありません。',
  'portal.audit.older': '以前のイベント →',
  'portal.audit.error.type':
    '監査ログにあるイベントの種類を、カンマ区切りで最大 {count} 個入力してください。それぞれ完全な名前（admin.user.deleted）か、.* で終わるプレフィックス（admin.user.*）で指定します。',
  'portal.audit.error.unknownType':
    '監査ログにイベントの種類 {name} はありません。一覧は docs/audit-events.md にあります。プレフィックスは .* で終わります（admin.user.*）。',
  'portal.audit.error.date': '2026-03-01 のような形式で日付を入力してください。',
  'portal.audit.error.order': '終了日を開始日より前にすることはできません。',
  'portal.audit.error.outcome': '成功、失敗、またはすべてを選択してください。',
  'portal.audit.error.cursor':
    'この以前のイベントの一覧は無効になりました。もう一度絞り込んでください。',
  'portal.audit.error.format': 'CSV または JSON Lines でエクスポートしてください。',
  'portal.audit.error.tooLarge':
    '一致するイベントが 1 回のエクスポートの上限（{count, number} 件）を超えています。絞り込み条件を狭めてください（期間を短くするなど）。',
  'portal.audit.error.other':
    'この絞り込み条件は使用できません。条件を変更して、もう一度絞り込んでください。',

  'portal.sessions.title': 'セッション',
  'portal.sessions.lead':
    '現在組織にサインインしているユーザーです。セッションを終了すると、そのデバイスはすべてのアプリケーションからただちにサインアウトされます。',
  'portal.sessions.emailLabel': 'ユーザーのメールアドレス（アドレスまたはその先頭部分）',
  'portal.sessions.filter': '絞り込む',
  'portal.sessions.user': 'ユーザー',
  'portal.sessions.connection': '接続',
  'portal.sessions.device': 'デバイス',
  'portal.sessions.ip': 'IP アドレス',
  'portal.sessions.signedIn': 'サインイン日時',
  'portal.sessions.lastActive': '最終アクティビティ',
  'portal.sessions.actions': '操作',
  'portal.sessions.unknownUser': '不明なユーザー',
  'portal.sessions.unknown': '不明',
  'portal.sessions.end': '終了',
  'portal.sessions.endLabel': '{device} での {email} のセッションを終了',
  'portal.sessions.endAll': 'すべて終了',
  'portal.sessions.endAllLabel': '{email} のセッションをすべて終了',
  'portal.sessions.noneForEmail': 'このメールアドレスの有効なセッションはありません。',
  'portal.sessions.none': '有効なセッションはありません。',
  'portal.sessions.next': '次のページ →',
  'portal.sessions.ended': '{count, plural, other {# 件のセッションを終了しました。}}',
  'portal.sessions.error.email':
    '320 文字以内で入力してください：メールアドレスまたはその先頭部分。',
};
