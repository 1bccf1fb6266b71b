import type { PortalSetupPart } from './en.js';

export const portalSetupJa: PortalSetupPart = {
  'portal.back.allSteps': 'すべての手順',
  'portal.copy.button': 'コピー',
  'portal.copy.copied': 'コピーしました',
  'portal.copy.recordName': 'レコード名をコピー',
  'portal.copy.recordValue': 'レコードの値をコピー',
  'portal.copy.acsUrl': 'ACS URL をコピー',
  'portal.copy.entityId': 'SP エンティティ ID をコピー',
  'portal.copy.metadataUrl': 'SP メタデータ URL をコピー',
  'portal.copy.nameIdFormat': 'NameID 形式をコピー',
  'portal.copy.attribute': '属性名 {name} をコピー',
  'portal.copy.redirectUri': 'リダイレクト URI をコピー',
  'portal.copy.scimBaseUrl': 'SCIM ベース URL をコピー',
  'portal.copy.scimToken': 'SCIM トークンをコピー',
  'portal.copy.scopes': 'スコープをコピー',
  'portal.form.refused': '受け付けられませんでした: {detail}（{reason}）',

  'portal.invalid.title': 'セットアップリンクが無効です',
  'portal.invalid.heading': 'このセットアップリンクは使用できません',
  'portal.invalid.lead':
    'セットアップリンクは一度だけ、期間を限って使用でき、取り消されることもあります。このリンクは使用済みか、期限切れか、すでに無効です。',
  'portal.invalid.next':
    'リンクを送ったプラットフォームチーム（またはアカウント担当者）に新しいリンクを依頼してください。このブラウザーですでに開いていた場合は、使用していたタブに戻ってください。',
  'portal.ended.title': 'セットアップセッションが終了しました',
  'portal.ended.heading': 'セットアップセッションは終了しました',
  'portal.ended.lead':
    'ポータルは、セットアップリンクを開いたブラウザーでのみ、リンクの期限が切れるか取り消されるまで使用できます。',
  'portal.ended.next':
    'リンクを送ったプラットフォームチーム（またはアカウント担当者）に新しいリンクを依頼してください。',
  'portal.start.title': 'サインインの設定',
  'portal.start.heading': '組織のサインインを設定する',
  'portal.start.lead':
    'このリンクは、このブラウザーでセットアップセッションを開きます。使用できるのは一度だけです。完了するまでこのブラウザーを使い続けてください。',
  'portal.start.button': 'セットアップを開始',

  'portal.home.title': 'セットアップ',
  'portal.home.heading': '{name} のセットアップ',
  'portal.home.yourOrganization': '組織',
  'portal.home.ends': 'このセッションは {time} に終了します。',
  'portal.home.steps': '手順',
  'portal.home.notYet': '（ポータルではまだ利用できません）',
  'portal.home.done': '完了: 戻る',
  'portal.step.domain': 'DNS TXT レコードを公開して確認します',
  'portal.step.sso': 'ID プロバイダーを接続します',
  'portal.step.directoryTitle': 'ディレクトリ同期',
  'portal.step.directory': 'SCIM でディレクトリからユーザーをプロビジョニングします',
  'portal.step.auditTitle': '監査ログ',
  'portal.step.audit': '組織のイベント',
  'portal.step.sessionsTitle': 'セッション',
  'portal.step.sessions': 'サインイン中のユーザーと、セッションの終了',

  'portal.domain.heading': 'ドメインの確認',
  'portal.domain.lead':
    '組織がメールドメインを管理していることを証明してください。確認後、従業員のサインインは組織の ID プロバイダーに送られます。',
  'portal.domain.verified': '確認済み',
  'portal.domain.pending': '未確認',
  'portal.domain.addRecord':
    'この TXT レコードを DNS プロバイダーで追加してから、確認してください:',
  'portal.domain.recordType': '種類',
  'portal.domain.recordName': '名前',
  'portal.domain.recordValue': '値',
  'portal.domain.check': '今すぐ確認',
  'portal.domain.delay': 'DNS の変更が反映されるまで数分かかることがあります。',
  'portal.domain.add': 'ドメインを追加',
  'portal.domain.label': 'ドメイン',
  'portal.domain.addButton': 'ドメインを追加',
  'portal.domain.verifiedNotice': '{domain} は確認済みです。',
  'portal.domain.failure.none': '{record} に TXT レコードがありません。',
  'portal.domain.failure.mismatch':
    '{record} の TXT レコードに、このドメインのトークンを含むものがありません。',
  'portal.domain.failure.lookup': '{record} の TXT 参照に失敗しました（{detail}）。',
  'portal.domain.failure.todo':
    '上に表示された TXT レコードを DNS プロバイダーで公開してから、もう一度確認してください。',
  'portal.domain.refused.taken':
    'このドメインは、すでにこの組織が登録しているか、別の組織が確認済みです。',
  'portal.domain.refused.invalid':
    'example.com のように、ドメイン名だけを入力してください（https://、パス、メールアドレスは含めません）。',

  'portal.sso.heading': 'シングルサインオン',
  'portal.sso.lead':
    'ID プロバイダーを接続すると、従業員はそのプロバイダーでサインインします。新しい接続は下書きとして作成され、テストサインインに合格して初めて有効になります。',
  'portal.sso.yours': '組織の接続',
  'portal.sso.column.name': '名前',
  'portal.sso.column.protocol': 'プロトコル',
  'portal.sso.column.status': '状態',
  'portal.sso.none': 'まだありません。',
  'portal.sso.add': '接続を追加',
  'portal.sso.pick':
    'ID プロバイダーを選んでください。Okta と Microsoft Entra ID は、OpenID Connect のオプションを選ばない限り SAML で設定されます。SAML なら追加の設定なしでグループが送られます。',
  'portal.sso.status.draft': '下書き',
  'portal.sso.status.active': '有効',
  'portal.sso.status.disabled': '無効',
  'portal.sso.new.title': '{idp} を接続',
  'portal.sso.new.headingWithProtocol': '{idp} を接続（{protocol}）',
  'portal.sso.new.lead': '{protocol} を使用します。接続は下書きとして作成されます。',
  'portal.sso.new.otherProtocol': 'もう一方のプロトコルを使いますか?',
  'portal.sso.new.useOther': '代わりに {protocol} を使用',
  'portal.sso.new.atIdp': '1. {idp} での操作',
  'portal.sso.new.enter': '2. そこで次の値を入力します',
  'portal.sso.new.bringBack': '3. {idp} の値をここに入力します',
  'portal.sso.values.spMetadataUrl': 'SP メタデータ URL',
  'portal.sso.values.attributes':
    '{label}: 次の属性ステートメントを、この名前のとおりに追加してください。',
  'portal.sso.values.attributeName': '属性名',
  'portal.sso.values.attributeSource': 'IdP での値',
  'portal.sso.values.scopes': 'スコープ',
  'portal.sso.values.claims': '読み取るクレーム',
  'portal.sso.values.subject': '（ユーザーの不変の ID）',
  'portal.sso.form.name': '接続名',
  'portal.sso.form.metadataOneWay':
    'IdP のメタデータを、URL、ファイル、テキストのいずれか一つの方法で指定してください。',
  'portal.sso.form.metadataUrl': 'IdP メタデータ URL',
  'portal.sso.form.metadataFile': 'IdP メタデータファイル',
  'portal.sso.form.metadataFileHint': 'XML ファイル、最大 {count} KB。',
  'portal.sso.form.metadataXml': 'IdP メタデータ XML（貼り付け）',
  'portal.sso.form.createSaml': '接続の下書きを作成',
  'portal.sso.form.issuer': '発行者（Issuer）',
  'portal.sso.form.issuerHint':
    '例: {example}。このフォームを送信すると、そのディスカバリードキュメントを取得します。',
  'portal.sso.form.createOidc': '確認して接続の下書きを作成',
  'portal.sso.created':
    '接続の下書きを作成しました。まだの場合はこれらの値を IdP に入力してから、テストしてください。',
  'portal.sso.connection.draft':
    '{protocol} の接続です。下書きのため、有効にするまで誰もこの接続でサインインしません。',
  'portal.sso.connection.active':
    '{protocol} の接続です。有効: 従業員はこの接続でサインインします。',
  'portal.sso.connection.disabled':
    '{protocol} の接続です。無効: 誰もこの接続でサインインしません。',
  'portal.sso.connection.values': 'ID プロバイダーに入力する値',
  'portal.sso.test.heading': 'テストと有効化',
  'portal.sso.test.lead':
    '従業員と同じように、新しいタブでこの接続を使ってサインインしてください。',
  'portal.sso.test.latest': '最新のテスト:',
  'portal.sso.test.passed': '合格',
  'portal.sso.test.failed': '不合格',
  'portal.sso.test.pending': '保留中',
  'portal.sso.test.report': '返ってきた内容',
  'portal.sso.test.none': 'テストサインインはまだありません。',
  'portal.sso.test.button': 'テストサインイン',
  'portal.sso.test.activate': '有効にする',
  'portal.sso.test.activateLater':
    '接続の最終変更以降にテストサインインが合格すると、有効にできます。',

  'portal.sso.field.name': '名前',
  'portal.sso.field.issuer': '発行者',
  'portal.sso.field.clientId': 'クライアント ID',
  'portal.sso.field.clientSecret': 'クライアントシークレット',
  'portal.sso.field.metadataUrl': 'メタデータ URL',
  'portal.sso.field.metadataXml': 'メタデータ',
  'portal.sso.field.metadataFile': 'メタデータファイル',
  'portal.sso.field.other': 'この項目',
  'portal.sso.refused.outOfDate':
    'このフォームは古くなっています。すでにこのフォームから接続が作成されたか、値が変わりました。上の値を IdP で確認してから、フォームをもう一度送信してください。',
  'portal.sso.refused.fileTooLarge': 'メタデータファイルが {count} KB を超えています。',
  'portal.sso.refused.fileNotXml':
    'メタデータファイルは XML ファイルである必要があります。このファイルの種類は {type} です。',
  'portal.sso.refused.fileNotXmlText':
    'メタデータファイルが XML ドキュメント（「<」で始まる UTF-8 テキスト）ではありません。',
  'portal.sso.refused.pastedTooLarge': '貼り付けたメタデータが {count} KB を超えています。',
  'portal.sso.refused.metadataTwice':
    'メタデータは、URL、ファイル、テキストのいずれか一つの方法だけで指定してください。',
  'portal.sso.refused.metadataMissing':
    'IdP のメタデータを、URL、ファイル、テキストのいずれかで指定してください。',
  'portal.sso.refused.required': '{label}は必須です。',
  'portal.sso.refused.https': '{label}は https の URL である必要があります。',
  'portal.sso.refused.invalid': '{label}が受け付けられませんでした（{detail}）。',
  'portal.sso.refused.check': '確認に失敗しました: {detail}（{reason}）',
  'portal.sso.refused.fetch': 'IdP のメタデータを取得できませんでした: {detail}（{reason}）',
  'portal.sso.check.idpUnreachable':
    '発行者のディスカバリードキュメントまたは鍵を取得できませんでした',
  'portal.sso.check.issuerMismatch':
    'ディスカバリードキュメントに、入力と異なる発行者が記載されています',
  'portal.sso.check.clientRejected':
    'プロバイダーがこのクライアント ID とシークレットを拒否しました',

  'portal.guide.okta.step1':
    'Okta Admin Console で Applications → Applications → Create App Integration を開きます。',
  'portal.guide.okta.step2':
    'SAML 2.0 を選び、アプリに名前を付けてから、「Configure SAML」に下の値を入力します。',
  'portal.guide.okta.step3':
    '「Use this for Recipient URL and Destination URL」にチェックを入れ、Application username を Email に設定します。',
  'portal.guide.okta.attributes':
    'Attribute Statements、グループには Group Attribute Statements（フィルター: Matches regex .*）',
  'portal.guide.okta.groups': 'グループフィルター',
  'portal.guide.okta.bringBack':
    'アプリの Sign On タブの「SAML 2.0」で Metadata URL をコピーします。その後、Assignments タブでユーザーまたはグループを割り当てます。',
  'portal.guide.oktaOidc.step2':
    'OIDC - OpenID Connect と Web Application を選びます。グラントタイプは Authorization Code のままにします。',
  'portal.guide.oktaOidc.groupsClaim':
    'アプリの Sign On タブで「OpenID Connect ID Token」を編集します: Groups claim type は Filter、名前は groups、Matches regex .*',
  'portal.guide.oktaOidc.bringBack':
    'アプリの General タブの「Client Credentials」に Client ID と Client secret があります。発行者は Okta ドメイン（https://your-org.okta.com）です。',
  'portal.guide.entra.step1':
    'Microsoft Entra admin center で Enterprise applications → New application → Create your own application（「Integrate any other application you don’t find in the gallery」）を開きます。',
  'portal.guide.entra.step2':
    'Single sign-on → SAML を開き、「Basic SAML Configuration」を下の値で編集します。',
  'portal.guide.entra.attributes':
    'Attributes & Claims（最初の二つは既定で存在します。グループには「Add a group claim」）',
  'portal.guide.entra.bringBack':
    '「SAML Certificates」で App Federation Metadata Url をコピーします。その後、「Users and groups」でユーザーとグループを割り当てます。',
  'portal.guide.entraOidc.step1':
    'Microsoft Entra admin center で App registrations → New registration を開きます。',
  'portal.guide.entraOidc.step2':
    'Redirect URI で Web プラットフォームを選んで下の値を入力し、Certificates & secrets で New client secret を追加します。',
  'portal.guide.entraOidc.clientSecret': 'Client secret の Value（Secret ID ではありません）',
  'portal.guide.entraOidc.groupsClaim':
    'Token configuration で「Add groups claim」（ID token）を選び、省略可能なクレーム email を追加します。',
  'portal.guide.entraOidc.bringBack':
    "アプリの Overview に Application (client) ID と Directory (tenant) ID が表示されます。発行者は https://login.microsoftonline.com/'<Directory (tenant) ID>'/v2.0 です。",
  'portal.guide.google.step1':
    'Google Admin console で Apps → Web and mobile apps → Add app → Add custom SAML app を開きます。',
  'portal.guide.google.step2':
    'アプリに名前を付け、「Google Identity Provider details」で Download Metadata を選びます（そのファイルを下でアップロードします）。',
  'portal.guide.google.step3':
    '「Service provider details」で下の値を入力します。Name ID は Basic Information > Primary email です。',
  'portal.guide.google.bringBack':
    'ダウンロードしたメタデータファイル（GoogleIDPMetadata.xml）を下でアップロードします。その後、アプリを全員に対してオンにします（User access、ON）。',
  'portal.guide.adfs.step1':
    'AD FS Management で Relying Party Trusts → Add Relying Party Trust → Claims aware を開きます。',
  'portal.guide.adfs.step2':
    '下の SP メタデータ URL をインポートするか（「Import data about the relying party published online」）、値を手動で入力します。',
  'portal.guide.adfs.step3':
    'Claim Issuance Policy を編集します: 「Send LDAP Attributes as Claims」、続いて Name ID 用に「Transform an Incoming Claim」。',
  'portal.guide.adfs.attributes': 'Send LDAP Attributes as Claims（送信するクレームの種類）',
  'portal.guide.adfs.bringBack':
    "フェデレーションサービスのメタデータ URL: https://'<your-adfs-host>'/FederationMetadata/2007-06/FederationMetadata.xml",
  'portal.guide.ping.step1':
    'PingFederate の管理コンソールで Applications → SP Connections → Create Connection を開きます。',
  'portal.guide.ping.step2':
    'Browser SSO、プロトコル SAML 2.0 を選びます。下の SP メタデータ URL をインポートするか、値を手動で入力できます。',
  'portal.guide.ping.step3':
    'Browser SSO → Assertion Creation で Attribute Contract を拡張し、データストアから値を設定します。',
  'portal.guide.ping.bringBack':
    "接続のメタデータ URL（https://'<your-pingfederate-host>':9031/pf/federation_metadata.ping?PartnerSpId='<上の SP エンティティ ID>'）、またはエクスポートしたメタデータファイル（Actions → Export Metadata）。",
  'portal.guide.onelogin.step1':
    'OneLogin Administration で Applications → Add App を開き、「SAML Custom Connector (Advanced)」を選びます。',
  'portal.guide.onelogin.step2':
    'Configuration タブで下の値を入力します（ACS URL は Recipient と ACS URL Validator にも入力します）。',
  'portal.guide.onelogin.step3':
    'Parameters タブで、「Include in SAML assertion」にチェックを入れて各属性を追加します。',
  'portal.guide.onelogin.groups': 'MemberOf（または User Roles）',
  'portal.guide.onelogin.bringBack':
    'SSO タブで Issuer URL をコピーします。これがメタデータ URL です。',
  'portal.guide.jumpcloud.step1':
    'JumpCloud Admin Portal で SSO Applications → Add New Application → Custom Application を開き、SAML 2.0 で「Manage Single Sign-On (SSO)」を選びます。',
  'portal.guide.jumpcloud.step2':
    'IdP Entity ID に任意の名前（例: jumpcloud-latchkey）を付け、下の値を入力します。',
  'portal.guide.jumpcloud.attributes':
    'Attributes（および groups という名前の「Include group attribute」）',
  'portal.guide.jumpcloud.groups': 'グループ属性',
  'portal.guide.jumpcloud.bringBack':
    '保存後、アプリケーションを開いて Export Metadata を選び、そのファイルを下でアップロードします。',
  'portal.guide.saml.choice': '汎用 SAML 2.0',
  'portal.guide.saml.idp': 'SAML ID プロバイダー',
  'portal.guide.saml.step1':
    'IdP で、下の値を使って SAML 2.0 アプリケーション（サービスプロバイダー）を作成します。',
  'portal.guide.saml.acsUrl': 'Assertion Consumer Service（ACS）URL、HTTP-POST バインディング',
  'portal.guide.saml.entityId': 'SP エンティティ ID（オーディエンス）',
  'portal.guide.saml.nameIdFormat': 'NameID 形式',
  'portal.guide.saml.attributes': '属性ステートメント',
  'portal.guide.saml.email': 'ユーザーのメールアドレス',
  'portal.guide.saml.name': 'ユーザーの表示名',
  'portal.guide.saml.groups': 'ユーザーのグループ',
  'portal.guide.saml.bringBack':
    'IdP の SAML メタデータ: その URL、または XML ファイルかテキスト。',
  'portal.guide.oidc.choice': '汎用 OpenID Connect',
  'portal.guide.oidc.idp': 'OpenID Connect プロバイダー',
  'portal.guide.oidc.step1':
    'プロバイダーで、認可コードフローを使う機密 Web クライアントを、下のリダイレクト URI で登録します。',
  'portal.guide.oidc.redirectUri': 'リダイレクト URI',
  'portal.guide.oidc.clientId': 'クライアント ID',
  'portal.guide.oidc.clientSecret': 'クライアントシークレット',
  'portal.guide.oidc.groupsClaim':
    'ID トークンまたは userinfo に groups クレームが含まれるようにします（プロバイダーによってはスコープや設定が必要です）。',
  'portal.guide.oidc.bringBack':
    '発行者（その /.well-known/openid-configuration に到達できること）、クライアント ID、クライアントシークレット。',
};
