import type { PortalSetupPart } from './en.js';

export const portalSetupFr: PortalSetupPart = {
  'portal.back.allSteps': 'Toutes les étapes',
  'portal.copy.button': 'Copier',
  'portal.copy.copied': 'Copié',
  'portal.copy.recordName': 'Copier le nom de l’enregistrement',
  'portal.copy.recordValue': 'Copier la valeur de l’enregistrement',
  'portal.copy.acsUrl': 'Copier l’URL ACS',
  'portal.copy.entityId': 'Copier l’identifiant d’entité du SP',
  'portal.copy.metadataUrl': 'Copier l’URL des métadonnées du SP',
  'portal.copy.nameIdFormat': 'Copier le format du NameID',
  'portal.copy.attribute': 'Copier le nom de l’attribut {name}',
  'portal.copy.redirectUri': 'Copier l’URI de redirection',
  'portal.copy.scimBaseUrl': 'Copier l’URL de base SCIM',
  'portal.copy.scimToken': 'Copier le jeton SCIM',
  'portal.copy.scopes': 'Copier les portées',
  'portal.form.refused': 'Cela a été refusé : {detail} ({reason})',

  'portal.invalid.title': 'Lien de configuration non valide',
  'portal.invalid.heading': 'Ce lien de configuration ne peut pas être utilisé',
  'portal.invalid.lead':
    'Les liens de configuration ne fonctionnent qu’une fois, pendant une durée limitée, et peuvent être retirés. Celui-ci a déjà été utilisé, a expiré ou n’est plus valide.',
  'portal.invalid.next':
    'Demandez un nouveau lien à l’équipe plateforme qui vous l’a envoyé (ou à votre gestionnaire de compte). Si vous l’aviez déjà ouvert dans ce navigateur, revenez à l’onglet que vous avez utilisé.',
  'portal.ended.title': 'Session de configuration terminée',
  'portal.ended.heading': 'Votre session de configuration est terminée',
  'portal.ended.lead':
    'Le portail ne fonctionne que dans le navigateur qui a ouvert le lien de configuration, jusqu’à ce que le lien expire ou soit retiré.',
  'portal.ended.next':
    'Demandez un nouveau lien à l’équipe plateforme qui vous l’a envoyé (ou à votre gestionnaire de compte).',
  'portal.start.title': 'Configurer la connexion',
  'portal.start.heading': 'Configurer la connexion pour votre organisation',
  'portal.start.lead':
    'Ce lien ouvre une session de configuration dans ce navigateur. Il ne fonctionne qu’une fois : continuez à utiliser ce navigateur jusqu’à la fin.',
  'portal.start.button': 'Commencer la configuration',

  'portal.home.title': 'Configuration',
  'portal.home.heading': 'Configurer {name}',
  'portal.home.yourOrganization': 'votre organisation',
  'portal.home.ends': 'Cette session se termine le {time}.',
  'portal.home.steps': 'Étapes',
  'portal.home.notYet': '(pas encore disponible dans le portail)',
  'portal.home.done': 'Terminé : revenir',
  'portal.step.domain': 'publier un enregistrement DNS TXT et le vérifier',
  'portal.step.sso': 'connecter votre fournisseur d’identité',
  'portal.step.directoryTitle': 'Synchronisation d’annuaire',
  'portal.step.directory': 'provisionner les utilisateurs depuis votre annuaire avec SCIM',
  'portal.step.auditTitle': 'Journal d’audit',
  'portal.step.audit': 'les événements de votre organisation',
  'portal.step.sessionsTitle': 'Sessions ouvertes',
  'portal.step.sessions': 'qui est connecté, et fermer des sessions',

  'portal.domain.heading': 'Vérifier votre domaine',
  'portal.domain.lead':
    'Prouvez que votre organisation contrôle son domaine de messagerie : les connexions de vos employés sont alors envoyées à votre fournisseur d’identité.',
  'portal.domain.verified': 'Vérifié',
  'portal.domain.pending': 'Pas encore vérifié',
  'portal.domain.addRecord':
    'Ajoutez cet enregistrement TXT chez votre fournisseur DNS, puis vérifiez-le :',
  'portal.domain.recordType': 'Type d’enregistrement',
  'portal.domain.recordName': 'Nom',
  'portal.domain.recordValue': 'Valeur',
  'portal.domain.check': 'Vérifier maintenant',
  'portal.domain.delay': 'Les modifications DNS peuvent mettre quelques minutes à être visibles.',
  'portal.domain.add': 'Ajouter un domaine',
  'portal.domain.label': 'Domaine',
  'portal.domain.addButton': 'Ajouter le domaine',
  'portal.domain.verifiedNotice': '{domain} est vérifié.',
  'portal.domain.failure.none': 'Il n’y a aucun enregistrement TXT à {record}.',
  'portal.domain.failure.mismatch':
    'Aucun enregistrement TXT à {record} ne contient le jeton de ce domaine.',
  'portal.domain.failure.lookup': 'La recherche TXT de {record} a échoué ({detail}).',
  'portal.domain.failure.todo':
    'Publiez l’enregistrement TXT affiché ci-dessus chez votre fournisseur DNS, puis vérifiez de nouveau.',
  'portal.domain.refused.taken':
    'Ce domaine est déjà revendiqué par votre organisation, ou vérifié par une autre organisation.',
  'portal.domain.refused.invalid':
    'Saisissez uniquement le nom de domaine, par exemple example.com : sans https://, sans chemin, sans adresse e-mail.',

  'portal.sso.heading': 'Authentification unique',
  'portal.sso.lead':
    'Connectez votre fournisseur d’identité : vos employés se connectent alors avec lui. Une nouvelle connexion commence en brouillon et n’est mise en service qu’après la réussite d’une connexion de test.',
  'portal.sso.yours': 'Vos connexions',
  'portal.sso.column.name': 'Nom',
  'portal.sso.column.protocol': 'Protocole',
  'portal.sso.column.status': 'Statut',
  'portal.sso.none': 'Aucune pour l’instant.',
  'portal.sso.add': 'Ajouter une connexion',
  'portal.sso.pick':
    'Choisissez votre fournisseur d’identité. Okta et Microsoft Entra ID sont configurés avec SAML, sauf si vous choisissez leur option OpenID Connect : avec SAML, vos groupes y sont envoyés sans configuration supplémentaire.',
  'portal.sso.status.draft': 'Brouillon',
  'portal.sso.status.active': 'En service',
  'portal.sso.status.disabled': 'Désactivée',
  'portal.sso.new.title': 'Connecter {idp}',
  'portal.sso.new.headingWithProtocol': 'Connecter {idp} ({protocol})',
  'portal.sso.new.lead': 'Avec {protocol} ; la connexion commence en brouillon.',
  'portal.sso.new.otherProtocol': 'Vous préférez l’autre protocole ?',
  'portal.sso.new.useOther': 'Utiliser {protocol} à la place',
  'portal.sso.new.atIdp': '1. Dans {idp}',
  'portal.sso.new.enter': '2. Saisissez-y ces valeurs',
  'portal.sso.new.bringBack': '3. Les valeurs à rapporter depuis {idp}',
  'portal.sso.values.spMetadataUrl': 'URL des métadonnées du SP',
  'portal.sso.values.attributes':
    '{label} : ajoutez ces déclarations d’attributs, nommées exactement ainsi.',
  'portal.sso.values.attributeName': 'Nom de l’attribut',
  'portal.sso.values.attributeSource': 'Valeur chez l’IdP',
  'portal.sso.values.scopes': 'Portées (scopes)',
  'portal.sso.values.claims': 'Claims lus',
  'portal.sso.values.subject': '(l’identifiant stable de l’utilisateur)',
  'portal.sso.form.name': 'Nom de la connexion',
  'portal.sso.form.metadataOneWay':
    'Fournissez les métadonnées de l’IdP d’une seule façon : leur URL, leur fichier ou leur texte.',
  'portal.sso.form.metadataUrl': 'URL des métadonnées de l’IdP',
  'portal.sso.form.metadataFile': 'Fichier de métadonnées de l’IdP',
  'portal.sso.form.metadataFileHint': 'Un fichier XML, de {count} Ko au plus.',
  'portal.sso.form.metadataXml': 'XML des métadonnées de l’IdP (collé)',
  'portal.sso.form.createSaml': 'Créer la connexion en brouillon',
  'portal.sso.form.issuer': 'Émetteur (issuer)',
  'portal.sso.form.issuerHint':
    'Par exemple {example}. Son document de découverte est récupéré à l’envoi de ce formulaire.',
  'portal.sso.form.createOidc': 'Vérifier et créer la connexion en brouillon',
  'portal.sso.created':
    'Connexion créée en brouillon. Saisissez ces valeurs chez votre IdP si ce n’est pas déjà fait, puis testez-la.',
  'portal.sso.connection.draft':
    'Connexion {protocol}. Un brouillon : personne ne se connecte par elle tant qu’elle n’est pas activée.',
  'portal.sso.connection.active':
    'Connexion {protocol}. En service : vos employés se connectent par elle.',
  'portal.sso.connection.disabled':
    'Connexion {protocol}. Désactivée : personne ne se connecte par elle.',
  'portal.sso.connection.values': 'Les valeurs à saisir chez votre fournisseur d’identité',
  'portal.sso.test.heading': 'Tester et activer',
  'portal.sso.test.lead':
    'Connectez-vous par cette connexion dans un nouvel onglet, comme le ferait l’un de vos employés.',
  'portal.sso.test.latest': 'Dernier test :',
  'portal.sso.test.passed': 'réussi',
  'portal.sso.test.failed': 'échoué',
  'portal.sso.test.pending': 'en attente',
  'portal.sso.test.report': 'Ce qui a été reçu',
  'portal.sso.test.none': 'Aucune connexion de test pour l’instant.',
  'portal.sso.test.button': 'Connexion de test',
  'portal.sso.test.activate': 'Activer',
  'portal.sso.test.activateLater':
    'Activer devient possible dès qu’une connexion de test a réussi depuis la dernière modification de la connexion.',

  'portal.sso.field.name': 'Le nom',
  'portal.sso.field.issuer': 'L’émetteur',
  'portal.sso.field.clientId': 'L’identifiant client',
  'portal.sso.field.clientSecret': 'Le secret client',
  'portal.sso.field.metadataUrl': 'L’URL des métadonnées',
  'portal.sso.field.metadataXml': 'Les métadonnées',
  'portal.sso.field.metadataFile': 'Le fichier de métadonnées',
  'portal.sso.field.other': 'Ce champ',
  'portal.sso.refused.outOfDate':
    'Ce formulaire n’est plus à jour : une connexion a déjà été créée à partir de lui, ou les valeurs ont changé. Vérifiez les valeurs ci-dessus chez votre IdP, puis renvoyez le formulaire.',
  'portal.sso.refused.fileTooLarge': 'Le fichier de métadonnées dépasse {count} Ko.',
  'portal.sso.refused.fileNotXml':
    'Le fichier de métadonnées doit être un fichier XML ; celui-ci est de type {type}.',
  'portal.sso.refused.fileNotXmlText':
    'Le fichier de métadonnées n’est pas un document XML (texte UTF-8 commençant par « < »).',
  'portal.sso.refused.pastedTooLarge': 'Les métadonnées collées dépassent {count} Ko.',
  'portal.sso.refused.metadataTwice':
    'Fournissez les métadonnées d’une seule façon : leur URL, leur fichier ou leur texte.',
  'portal.sso.refused.metadataMissing':
    'Fournissez les métadonnées de l’IdP : leur URL, leur fichier ou leur texte.',
  'portal.sso.refused.required': '{label} : ce champ est obligatoire.',
  'portal.sso.refused.https': '{label} : une URL https est requise.',
  'portal.sso.refused.invalid': '{label} : valeur refusée ({detail}).',
  'portal.sso.refused.check': 'La vérification a échoué : {detail} ({reason})',
  'portal.sso.refused.fetch':
    'Les métadonnées de l’IdP n’ont pas pu être récupérées : {detail} ({reason})',
  'portal.sso.check.idpUnreachable':
    'le document de découverte ou les clés de l’émetteur n’ont pas pu être récupérés',
  'portal.sso.check.issuerMismatch':
    'le document de découverte désigne un autre émetteur que celui saisi',
  'portal.sso.check.clientRejected': 'le fournisseur a refusé cet identifiant client et ce secret',

  'portal.guide.okta.step1':
    'Dans l’Okta Admin Console, ouvrez Applications → Applications → Create App Integration.',
  'portal.guide.okta.step2':
    'Choisissez SAML 2.0, nommez l’application, puis remplissez « Configure SAML » avec les valeurs ci-dessous.',
  'portal.guide.okta.step3':
    'Cochez « Use this for Recipient URL and Destination URL » ; réglez Application username sur Email.',
  'portal.guide.okta.attributes':
    'Attribute Statements, et Group Attribute Statements pour les groupes (filtre : Matches regex .*)',
  'portal.guide.okta.groups': 'le filtre de groupes',
  'portal.guide.okta.bringBack':
    'Dans l’onglet Sign On de l’application, sous « SAML 2.0 », copiez la Metadata URL. Attribuez ensuite des personnes ou des groupes dans l’onglet Assignments.',
  'portal.guide.oktaOidc.step2':
    'Choisissez OIDC - OpenID Connect et Web Application ; gardez le type d’octroi Authorization Code.',
  'portal.guide.oktaOidc.groupsClaim':
    'Dans l’onglet Sign On de l’application, modifiez « OpenID Connect ID Token » : Groups claim type Filter, nom groups, Matches regex .*',
  'portal.guide.oktaOidc.bringBack':
    'Dans l’onglet General de l’application, « Client Credentials » contient le Client ID et le Client secret ; l’émetteur est votre domaine Okta (https://your-org.okta.com).',
  'portal.guide.entra.step1':
    'Dans le Microsoft Entra admin center, ouvrez Enterprise applications → New application → Create your own application (« Integrate any other application you don’t find in the gallery »).',
  'portal.guide.entra.step2':
    'Ouvrez Single sign-on → SAML, puis modifiez « Basic SAML Configuration » avec les valeurs ci-dessous.',
  'portal.guide.entra.attributes':
    'Attributes & Claims (les deux premiers y sont par défaut ; « Add a group claim » pour les groupes)',
  'portal.guide.entra.bringBack':
    'Sous « SAML Certificates », copiez l’App Federation Metadata Url. Attribuez ensuite des utilisateurs et des groupes sous « Users and groups ».',
  'portal.guide.entraOidc.step1':
    'Dans le Microsoft Entra admin center, ouvrez App registrations → New registration.',
  'portal.guide.entraOidc.step2':
    'Sous Redirect URI, choisissez la plateforme Web et saisissez la valeur ci-dessous ; puis, sous Certificates & secrets, ajoutez un New client secret.',
  'portal.guide.entraOidc.clientSecret': 'Client secret Value (pas son Secret ID)',
  'portal.guide.entraOidc.groupsClaim':
    'Sous Token configuration, « Add groups claim » (ID token), et ajoutez le claim facultatif email.',
  'portal.guide.entraOidc.bringBack':
    "La page Overview de l’application affiche l’Application (client) ID et le Directory (tenant) ID ; l’émetteur est https://login.microsoftonline.com/'<Directory (tenant) ID>'/v2.0.",
  'portal.guide.google.step1':
    'Dans la Google Admin console, ouvrez Apps → Web and mobile apps → Add app → Add custom SAML app.',
  'portal.guide.google.step2':
    'Nommez l’application ; sur « Google Identity Provider details », choisissez Download Metadata (vous importez ce fichier ci-dessous).',
  'portal.guide.google.step3':
    'Sur « Service provider details », saisissez les valeurs ci-dessous ; Name ID : Basic Information > Primary email.',
  'portal.guide.google.bringBack':
    'Le fichier de métadonnées téléchargé (GoogleIDPMetadata.xml) : importez-le ci-dessous. Activez ensuite l’application pour tout le monde (User access, ON).',
  'portal.guide.adfs.step1':
    'Dans AD FS Management, ouvrez Relying Party Trusts → Add Relying Party Trust → Claims aware.',
  'portal.guide.adfs.step2':
    'Importez l’URL des métadonnées du SP ci-dessous (« Import data about the relying party published online »), ou saisissez les valeurs à la main.',
  'portal.guide.adfs.step3':
    'Modifiez la Claim Issuance Policy : « Send LDAP Attributes as Claims », puis « Transform an Incoming Claim » pour le Name ID.',
  'portal.guide.adfs.attributes': 'Send LDAP Attributes as Claims (types de claims sortants)',
  'portal.guide.adfs.bringBack':
    "L’URL des métadonnées de votre service de fédération : https://'<your-adfs-host>'/FederationMetadata/2007-06/FederationMetadata.xml",
  'portal.guide.ping.step1':
    'Dans la console d’administration de PingFederate, ouvrez Applications → SP Connections → Create Connection.',
  'portal.guide.ping.step2':
    'Choisissez Browser SSO, protocole SAML 2.0 ; vous pouvez importer l’URL des métadonnées du SP ci-dessous, ou saisir les valeurs à la main.',
  'portal.guide.ping.step3':
    'Dans Browser SSO → Assertion Creation, étendez l’Attribute Contract et alimentez-le depuis votre magasin de données.',
  'portal.guide.ping.bringBack':
    "L’URL des métadonnées de la connexion, https://'<your-pingfederate-host>':9031/pf/federation_metadata.ping?PartnerSpId='<l’identifiant d’entité du SP ci-dessus>', ou son fichier de métadonnées exporté (Actions → Export Metadata).",
  'portal.guide.onelogin.step1':
    'Dans OneLogin Administration, ouvrez Applications → Add App, puis choisissez « SAML Custom Connector (Advanced) ».',
  'portal.guide.onelogin.step2':
    'Dans l’onglet Configuration, saisissez les valeurs ci-dessous (l’ACS URL aussi comme Recipient et comme ACS URL Validator).',
  'portal.guide.onelogin.step3':
    'Dans l’onglet Parameters, ajoutez chaque attribut en cochant « Include in SAML assertion ».',
  'portal.guide.onelogin.groups': 'MemberOf (ou User Roles)',
  'portal.guide.onelogin.bringBack':
    'Dans l’onglet SSO, copiez l’Issuer URL : c’est l’URL des métadonnées.',
  'portal.guide.jumpcloud.step1':
    'Dans le JumpCloud Admin Portal, ouvrez SSO Applications → Add New Application → Custom Application, puis choisissez « Manage Single Sign-On (SSO) » avec SAML 2.0.',
  'portal.guide.jumpcloud.step2':
    'Donnez à l’IdP Entity ID un nom de votre choix (par ex. jumpcloud-latchkey), puis saisissez les valeurs ci-dessous.',
  'portal.guide.jumpcloud.attributes': 'Attributes (et « Include group attribute » nommé groups)',
  'portal.guide.jumpcloud.groups': 'l’attribut de groupe',
  'portal.guide.jumpcloud.bringBack':
    'Après l’enregistrement, ouvrez l’application et choisissez Export Metadata : importez ce fichier ci-dessous.',
  'portal.guide.saml.choice': 'SAML 2.0 générique',
  'portal.guide.saml.idp': 'votre fournisseur d’identité SAML',
  'portal.guide.saml.step1':
    'Dans votre IdP, créez une application SAML 2.0 (fournisseur de services) avec les valeurs ci-dessous.',
  'portal.guide.saml.acsUrl': 'URL de l’Assertion Consumer Service (ACS), liaison HTTP-POST',
  'portal.guide.saml.entityId': 'Identifiant d’entité du SP (audience)',
  'portal.guide.saml.nameIdFormat': 'Format du NameID',
  'portal.guide.saml.attributes': 'Déclarations d’attributs',
  'portal.guide.saml.email': 'l’adresse e-mail de l’utilisateur',
  'portal.guide.saml.name': 'le nom d’affichage de l’utilisateur',
  'portal.guide.saml.groups': 'les groupes de l’utilisateur',
  'portal.guide.saml.bringBack':
    'Les métadonnées SAML de votre IdP : leur URL, ou le fichier ou le texte XML.',
  'portal.guide.oidc.choice': 'OpenID Connect générique',
  'portal.guide.oidc.idp': 'votre fournisseur OpenID Connect',
  'portal.guide.oidc.step1':
    'Chez votre fournisseur, enregistrez un client web confidentiel utilisant le flux authorization code, avec l’URI de redirection ci-dessous.',
  'portal.guide.oidc.redirectUri': 'URI de redirection',
  'portal.guide.oidc.clientId': 'Identifiant client',
  'portal.guide.oidc.clientSecret': 'Secret client',
  'portal.guide.oidc.groupsClaim':
    'Faites en sorte que l’ID token ou userinfo contienne le claim groups (certains fournisseurs demandent pour cela une portée ou un réglage).',
  'portal.guide.oidc.bringBack':
    'L’émetteur (son /.well-known/openid-configuration doit être joignable), l’identifiant client et le secret client.',
};
