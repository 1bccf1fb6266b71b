import type { PortalOpsPart } from './en.js';

/** Français (vouvoiement ; apostrophe typographique ’, l’ASCII ' devant { citerait en ICU). */
export const portalOpsFr: PortalOpsPart = {
  'portal.ops.allSteps': '← Toutes les étapes',

  'portal.test.passedTitle': 'Connexion de test réussie',
  'portal.test.failedTitle': 'Échec de la connexion de test',
  'portal.test.pendingTitle': 'Connexion de test non terminée',
  'portal.test.reason': 'Motif :',
  'portal.test.pending':
    'Pas encore de réponse de l’IdP. Terminez la connexion dans l’onglet qui s’est ouvert, ou testez à nouveau.',
  'portal.test.wouldSucceed': 'Une connexion passant par cette configuration SSO réussirait.',
  'portal.test.received': 'Ce qui a été reçu',
  'portal.test.subject': 'Sujet (sub)',
  'portal.test.nameIdFormat': 'Format du NameID',
  'portal.test.email': 'Adresse e-mail',
  'portal.test.emailVerified': 'Adresse e-mail vérifiée',
  'portal.test.yes': 'oui',
  'portal.test.no': 'non',
  'portal.test.displayName': 'Nom affiché',
  'portal.test.groups': 'Groupes',
  'portal.test.roles': 'Rôles dans Latchkey',
  'portal.test.noRoleMapping': 'aucune correspondance de rôles',
  'portal.test.none': 'aucun',
  'portal.test.checks': 'Vérifications',
  'portal.test.checkPassed': '✓ Réussie',
  'portal.test.checkFailed': '✗ Échouée',
  'portal.test.check.orgActive': 'Votre organisation peut se connecter',
  'portal.test.check.subjectPresent': 'L’IdP a indiqué qui est l’utilisateur (NameID ou sub)',
  'portal.test.check.emailUsable': 'Une adresse e-mail a été reçue',
  'portal.test.check.emailDomainAllowed':
    'Le domaine de l’adresse e-mail fait partie de vos domaines vérifiés',
  'portal.test.check.emailVerified':
    'L’adresse e-mail est vérifiée (lorsque votre organisation l’exige)',
  'portal.test.everything': 'Tout ce que l’IdP a envoyé ({count})',
  'portal.test.activate': 'Activer {name}',
  'portal.test.again': 'Tester à nouveau la connexion',
  'portal.test.finishedTitle': 'Connexion de test terminée',
  'portal.test.finishedLead': 'Votre fournisseur d’identité a répondu. Voyez ce qui a été reçu :',
  'portal.test.seeResult': 'Voir le résultat',
  'portal.test.notActivatedTitle': 'Non activée',
  'portal.test.notActivatedHeading': '{name} n’a pas été activée',
  'portal.test.backTo': '← Retour à {name}',
  'portal.test.refused.untested':
    'Effectuez une connexion de test réussie avant d’activer cette connexion.',
  'portal.test.refused.changed':
    'La connexion a été modifiée depuis sa dernière connexion de test réussie : testez-la à nouveau avant de l’activer.',
  'portal.test.refused.checkFailed':
    'La connexion n’a pas passé ses vérifications en direct ; corrigez-la chez l’IdP ou ici, puis activez-la à nouveau.',
  'portal.test.refused.other':
    'La connexion ne peut pas être activée pour le moment. Rechargez sa page et réessayez.',

  'portal.test.fix.emailMissingSaml':
    'L’IdP n’a envoyé aucune adresse e-mail utilisable. Ajoutez une déclaration d’attribut nommée « {attribute} » dont la valeur est l’adresse e-mail de l’utilisateur (ou envoyez le NameID au format emailAddress).',
  'portal.test.fix.emailMissingOidc':
    'L’IdP n’a envoyé aucune revendication e-mail utilisable. Demandez le scope « email » et vérifiez que l’utilisateur a une adresse e-mail chez l’IdP.',
  'portal.test.fix.subjectMissingSaml':
    'L’IdP n’a envoyé aucun NameID utilisable (un NameID transient change à chaque connexion). Envoyez un NameID persistent ou emailAddress.',
  'portal.test.fix.subjectMissingOidc': 'Le jeton d’identité n’a pas de sujet (« sub »).',
  'portal.test.fix.emailDomainNotAllowed':
    'Le domaine de l’adresse e-mail ne fait pas partie des domaines vérifiés de votre organisation. Vérifiez ce domaine à l’étape Domaine, ou connectez-vous avec une adresse d’un domaine vérifié.',
  'portal.test.fix.emailNotVerified':
    'Votre organisation exige des adresses e-mail vérifiées, et l’IdP n’a pas indiqué que celle-ci l’est (OIDC : email_verified doit valoir true).',
  'portal.test.fix.orgDisabled':
    'Votre organisation est désactivée : adressez-vous à l’équipe de la plateforme.',
  'portal.test.fix.idpAccessDenied':
    'La connexion a été annulée ou refusée chez l’IdP. Vérifiez que votre compte y est affecté à l’application, puis testez à nouveau.',
  'portal.test.fix.issuerMismatch':
    'L’IdP a répondu avec un autre émetteur que celui configuré : vérifiez exactement l’URL de l’émetteur (y compris une éventuelle barre oblique finale).',
  'portal.test.fix.samlIssuerMismatch':
    'L’Issuer de la réponse n’est pas l’identifiant d’entité de l’IdP indiqué dans les métadonnées : importez à nouveau les métadonnées de cette application.',
  'portal.test.fix.samlAudienceMismatch':
    'L’Audience de l’assertion doit être exactement « {url} » : saisissez cette valeur chez l’IdP comme identifiant d’entité SP (Audience URI) de l’application.',
  'portal.test.fix.audienceMismatch':
    'L’audience du jeton d’identité n’est pas l’identifiant client de cette connexion : vérifiez l’identifiant client.',
  'portal.test.fix.samlDestinationMismatch':
    'La réponse était destinée à une autre adresse : chez l’IdP, définissez l’URL ACS (de réponse) exactement à « {url} ».',
  'portal.test.fix.samlRecipientMismatch':
    'Le Recipient de l’assertion doit être exactement « {url} » : saisissez cette valeur chez l’IdP comme URL ACS (de réponse).',
  'portal.test.fix.samlSignatureInvalid':
    'La signature n’a pas pu être vérifiée avec le certificat de l’IdP : l’IdP a peut-être changé de certificat de signature. Importez à nouveau ses métadonnées actuelles.',
  'portal.test.fix.samlCertificateUnknown':
    'La réponse a été signée avec un certificat que la connexion ne connaît pas : importez les métadonnées actuelles de l’IdP.',
  'portal.test.fix.samlAssertionUnsigned':
    'L’assertion doit être signée : configurez l’IdP pour qu’il signe l’assertion (ou la réponse et l’assertion).',
  'portal.test.fix.samlSignatureAlgorithmWeak':
    'L’IdP signe en SHA-1 : configurez-le en RSA-SHA256 (ou plus robuste).',
  'portal.test.fix.samlAssertionExpired':
    'L’assertion avait expiré à son arrivée : vérifiez l’horloge du serveur de l’IdP.',
  'portal.test.fix.samlAssertionNotYetValid':
    'L’assertion n’est pas encore valide : vérifiez l’horloge du serveur de l’IdP.',
  'portal.test.check.assuranceSufficient':
    'La règle de votre organisation sur la force de connexion (MFA, résistante à l’hameçonnage) est respectée',
  'portal.test.assurance': 'Force de la connexion',
  'portal.test.assuranceProven': '{acr} (méthodes : {amr}) ; votre organisation exige {required}',
  'portal.test.assuranceNothingRequired': 'rien de plus qu’un mot de passe',
  'portal.test.assuranceUnknown': 'aucun niveau connu de Latchkey',
  'portal.test.fix.samlNoAuthnContext':
    'L’IdP a répondu qu’il ne peut pas authentifier aussi fortement que demandé (RequestedAuthnContext) : comparez la demande de la connexion aux classes que l’IdP propose, et vérifiez que la MFA est configurée pour l’application chez l’IdP.',
  'portal.test.fix.assuranceInsufficient':
    'Votre organisation exige la MFA (ou une connexion résistante à l’hameçonnage), et l’IdP n’a pas indiqué que cette connexion l’a utilisée. Activez la MFA pour cette application chez l’IdP et faites-la signaler (OIDC : un acr ou amr tel que « mfa » ; SAML : un AuthnContextClassRef tel que http://schemas.microsoft.com/claims/multipleauthn), ou associez la valeur envoyée par votre IdP dans les réglages d’assurance de la connexion.',
  'portal.test.fix.signInNotFresh':
    'L’IdP a répondu à partir d’une connexion antérieure alors qu’une nouvelle était demandée (OIDC max_age=0, SAML ForceAuthn) : configurez l’application chez l’IdP pour qu’elle respecte la réauthentification forcée.',
  'portal.test.fix.samlStatusNotSuccess':
    'L’IdP a répondu avec un statut d’erreur : vérifiez que l’utilisateur est affecté à l’application chez l’IdP, et consultez ses journaux.',
  'portal.test.fix.clientRejected':
    'L’IdP a refusé l’identifiant client ou le secret : copiez-les à nouveau tous les deux.',
  'portal.test.fix.codeRejected':
    'L’IdP a refusé le code d’autorisation : vérifiez que l’URI de redirection qui y est enregistrée est exactement « {url} » et que le secret client est à jour.',
  'portal.test.fix.idpUnreachable':
    'Latchkey n’a pas pu joindre l’IdP : vérifiez l’URL de l’émetteur ou des métadonnées.',
  'portal.test.fix.idToken':
    'Le jeton d’identité de l’IdP n’a pas pu être vérifié : vérifiez l’émetteur, l’identifiant client et les clés de signature de l’IdP (JWKS).',
  'portal.test.fix.saml':
    'La réponse SAML n’a pas passé ses vérifications : importez les métadonnées actuelles et comparez les valeurs ci-dessus avec l’application de l’IdP.',
  'portal.test.fix.other':
    'Comparez les valeurs à saisir chez l’IdP avec son application, puis testez à nouveau.',

  'portal.directory.title': 'Synchronisation de l’annuaire',
  'portal.directory.lead':
    'Votre fournisseur d’identité crée, met à jour et supprime ici vos utilisateurs avec SCIM 2.0.',
  'portal.directory.never': 'jamais',
  'portal.directory.active': 'Actif',
  'portal.directory.disabled': 'Désactivé',
  'portal.directory.baseUrl': 'URL de base SCIM',
  'portal.directory.bearerToken': 'Jeton Bearer',
  'portal.directory.tokenShownAbove': 'le jeton affiché ci-dessus',
  'portal.directory.tokenIssuedHere': 'un jeton émis sur cette page',
  'portal.directory.noErrors': 'Aucune requête refusée.',
  'portal.directory.errorWhen': 'Quand',
  'portal.directory.errorRequest': 'Requête',
  'portal.directory.errorStatus': 'Statut',
  'portal.directory.errorDetail': 'Détail',
  'portal.directory.syncStatus': 'État de la synchronisation',
  'portal.directory.lastRequest': 'Dernière requête',
  'portal.directory.lastChange': 'Dernière modification',
  'portal.directory.users': 'Utilisateurs',
  'portal.directory.activeUsers': 'Utilisateurs actifs',
  'portal.directory.groups': 'Groupes',
  'portal.directory.precision':
    'Les heures peuvent avoir jusqu’à {count, plural, one {# seconde} other {# secondes}} de retard.',
  'portal.directory.recentErrors': 'Erreurs récentes',
  'portal.directory.errorsDropped':
    '{count, plural, one {# autre a été comptée, mais pas conservée.} other {# autres ont été comptées, mais pas conservées.}}',
  'portal.directory.tokens': 'Jetons',
  'portal.directory.noToken':
    'Pas encore de jeton : votre fournisseur d’identité ne peut pas se connecter.',
  'portal.directory.issued': 'Émis le',
  'portal.directory.ends': 'expire le',
  'portal.directory.revoke': 'Révoquer',
  'portal.directory.rotate': 'Renouveler le jeton',
  'portal.directory.issue': 'Émettre un jeton',
  'portal.directory.rotateHint':
    'Un nouveau jeton n’est affiché qu’une fois. Les jetons émis auparavant fonctionnent encore quelque temps, le temps de mettre à jour votre fournisseur d’identité, puis cessent de fonctionner.',
  'portal.directory.disabledHint': 'Cet annuaire est désactivé : ses jetons ne fonctionnent pas.',
  'portal.directory.newToken': 'Votre nouveau jeton SCIM',
  'portal.directory.copyNow':
    'Copiez-le maintenant : il n’est affiché que cette fois et ne pourra plus l’être.',
  'portal.directory.setUpIdp': 'Configurer votre fournisseur d’identité',
  'portal.directory.setUp': 'Configurer la synchronisation de l’annuaire',
  'portal.directory.nameLabel': 'Nom (par exemple, le fournisseur d’identité)',
  'portal.directory.revoked': 'Le jeton a été révoqué : il ne fonctionne plus.',
  'portal.directory.error.name': 'Saisissez un nom de 1 à 200 caractères.',
  'portal.directory.error.other':
    'L’annuaire ne peut pas être configuré pour le moment. Réessayez.',

  'portal.directory.guide.entra.step1': 'Ouvrez Enterprise application → Provisioning → Automatic.',
  'portal.directory.guide.entra.step2':
    'Saisissez les valeurs ci-dessous, puis Test Connection (il envoie GET /Users?filter=userName eq "…" avec un nom aléatoire et attend une liste vide).',
  'portal.directory.guide.entra.attributes':
    'Conservez les correspondances d’attributs par défaut (userName ← UPN, externalId ← mailNickname ou objectId, active ← Switch([IsSoftDeleted]…)) ; la chaîne "False" qu’Entra ID envoie pour active est comprise.',
  'portal.directory.guide.okta.step1':
    'App → Provisioning → Integration : activez Enable API integration avec SCIM.',
  'portal.directory.guide.okta.step2':
    'Unique identifier field : userName. Supported actions : Push New Users, Push Profile Updates (Okta met à jour par PUT et désactive avec active: false), Push Groups. Authentication mode : HTTP Header.',
  'portal.directory.guide.okta.attributes':
    'Conservez les correspondances par défaut : userName, givenName, familyName, email (adresse e-mail professionnelle principale). Push Groups envoie les appartenances aux groupes.',
  'portal.directory.guide.google.step1':
    'Google Workspace n’envoie des utilisateurs par SCIM qu’aux applications de son propre catalogue : il ne peut donc pas viser directement cette URL de base.',
  'portal.directory.guide.google.step2':
    'Utilisez un service de synchronisation tiers qui lit votre annuaire Google et alimente un point de terminaison SCIM 2.0 : donnez-lui l’URL de base et le jeton ci-dessous.',
  'portal.directory.guide.google.attributes':
    'Faites correspondre userName et l’adresse e-mail professionnelle principale à l’adresse e-mail principale Google, name.givenName et name.familyName au prénom et au nom, active au compte non suspendu. Google lui-même n’envoie aucun groupe.',
  'portal.directory.guide.google.caveat':
    'Par un service tiers : Latchkey ne teste pas ce service et n’en assure pas le support.',
  'portal.directory.guide.google.baseUrl': 'URL de base SCIM (dans l’outil tiers)',
  'portal.directory.guide.onelogin.step1':
    'Ouvrez Applications → Add App → « SCIM Provisioner with SAML (SCIM v2 Enterprise) ».',
  'portal.directory.guide.onelogin.step2':
    'Onglet Configuration : saisissez les valeurs ci-dessous et cliquez sur Enable pour la connexion API ; onglet Provisioning : activez le provisionnement.',
  'portal.directory.guide.onelogin.attributes':
    'Conservez le modèle JSON v2 Enterprise SCIM (userName = adresse e-mail, une adresse e-mail professionnelle principale, nom). Ne mettez pas de groupes dans le modèle : les groupes sont envoyés par /Groups (Parameters → Groups, « Include in User Provisioning »).',
  'portal.directory.guide.jumpcloud.step1':
    'Ouvrez SSO Applications → votre application → Identity Management.',
  'portal.directory.guide.jumpcloud.step2':
    'Choisissez SCIM 2.0, saisissez les valeurs ci-dessous, Test Connection, puis Activate ; liez les groupes d’utilisateurs à provisionner.',
  'portal.directory.guide.jumpcloud.attributes':
    'JumpCloud envoie userName (l’adresse e-mail), le nom, les adresses e-mail et active depuis sa fiche utilisateur ; activez Group Management pour envoyer les groupes liés.',

  'portal.audit.title': 'Journal d’audit',
  'portal.audit.lead':
    'Les événements de votre organisation, du plus récent au plus ancien. Heures en UTC.',
  'portal.audit.typeLabel': 'Type d’événement',
  'portal.audit.typeExample': 'sso.connection.* ou user.login.succeeded',
  'portal.audit.fromLabel': 'Du (jour UTC)',
  'portal.audit.toLabel': 'Au (jour UTC, inclus)',
  'portal.audit.outcomeLabel': 'Résultat',
  'portal.audit.any': 'Tous',
  'portal.audit.success': 'succès',
  'portal.audit.failure': 'échec',
  'portal.audit.filter': 'Filtrer',
  'portal.audit.export':
    'Exporter ces événements (du plus ancien au plus récent, {count, number} au maximum) :',
  'portal.audit.time': 'Heure',
  'portal.audit.event': 'Événement',
  'portal.audit.actor': 'Acteur',
  'portal.audit.target': 'Cible',
  'portal.audit.none': 'Aucun événement ne correspond.',
  'portal.audit.older': 'Événements plus anciens →',
  'portal.audit.error.type':
    'Saisissez jusqu’à {count} types d’événements séparés par des virgules, connus du journal d’audit, chacun exact (admin.user.deleted) ou un préfixe terminé par .* (admin.user.*).',
  'portal.audit.error.unknownType':
    'Le journal d’audit n’a aucun type d’événement {name}. docs/audit-events.md les liste ; un préfixe se termine par .* (admin.user.*).',
  'portal.audit.error.date': 'Saisissez une date telle que 2026-03-01.',
  'portal.audit.error.order': 'Le jour « Au » ne peut pas précéder le jour « Du ».',
  'portal.audit.error.outcome': 'Choisissez succès, échec ou tous.',
  'portal.audit.error.cursor':
    'Cette liste d’événements plus anciens n’est plus valable : filtrez à nouveau.',
  'portal.audit.error.format': 'Exportez en CSV ou en JSON Lines.',
  'portal.audit.error.tooLarge':
    'Plus d’événements correspondent que ce qu’un export peut contenir ({count, number}). Restreignez les filtres (une période plus courte, par exemple).',
  'portal.audit.error.other':
    'Ces filtres ne peuvent pas être utilisés. Modifiez-les et filtrez à nouveau.',

  'portal.sessions.title': 'Sessions ouvertes',
  'portal.sessions.lead':
    'Qui est connecté à votre organisation en ce moment. Mettre fin à une session déconnecte aussitôt cet appareil, dans toutes les applications.',
  'portal.sessions.emailLabel': 'Adresse e-mail de l’utilisateur (l’adresse ou son début)',
  'portal.sessions.filter': 'Filtrer',
  'portal.sessions.user': 'Utilisateur',
  'portal.sessions.connection': 'Connexion',
  'portal.sessions.device': 'Appareil',
  'portal.sessions.ip': 'Adresse IP',
  'portal.sessions.signedIn': 'Connecté le',
  'portal.sessions.lastActive': 'Dernière activité',
  'portal.sessions.actions': 'Opérations',
  'portal.sessions.unknownUser': 'Utilisateur inconnu',
  'portal.sessions.unknown': 'Inconnu',
  'portal.sessions.end': 'Terminer',
  'portal.sessions.endLabel': 'Terminer la session de {email} sur {device}',
  'portal.sessions.endAll': 'Terminer toutes',
  'portal.sessions.endAllLabel': 'Terminer toutes les sessions de {email}',
  'portal.sessions.noneForEmail': 'Aucune session active pour cette adresse e-mail.',
  'portal.sessions.none': 'Aucune session active.',
  'portal.sessions.next': 'Page suivante →',
  'portal.sessions.ended':
    '{count, plural, one {# session terminée.} other {# sessions terminées.}}',
  'portal.sessions.error.email':
    'Saisissez 320 caractères au plus : une adresse e-mail ou son début.',
};
