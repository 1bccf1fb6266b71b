import type { Catalog } from './en.js';
import { portalOpsEs } from './portal-ops/es.js';
import { portalSetupEs } from './portal-setup/es.js';

/** Español: trato de usted, neutro (no regional). */
export const es: Catalog = {
  'layout.footer': 'Inicio de sesión seguro para su organización',
  'layout.language': 'Idioma',

  'common.continue': 'Continuar',
  'common.useAnotherEmail': 'Usar otro correo electrónico',
  'common.signOut': 'Cerrar sesión',

  'login.title': 'Iniciar sesión',
  'login.heading': 'Inicie sesión en su espacio de trabajo',
  'login.lead':
    'Use su correo electrónico de trabajo. Le llevaremos al inicio de sesión de su empresa.',
  'login.emailLabel': 'Correo electrónico de trabajo',
  'login.domainUnknown':
    'No reconocemos la organización de este correo electrónico. Compruebe la dirección o pregunte a su equipo de TI si su empresa usa Latchkey.',
  'login.orgNotReady':
    'Su organización aún no ha terminado de configurar el inicio de sesión. Póngase en contacto con su equipo de TI.',
  'login.emailMissing': 'Introduzca su correo electrónico de trabajo.',
  'login.cancelled':
    'Se canceló el inicio de sesión. Introduzca su correo electrónico de trabajo para empezar de nuevo.',

  'confirmConnection.title': 'Continuar al inicio de sesión',
  'confirmConnection.lead':
    'Un enlace de otro sitio quiere iniciar una sesión. Continúe solo si quería iniciar sesión ahora, con su propia cuenta de trabajo.',
  'confirmConnection.leadWithEmail':
    'Un enlace de otro sitio quiere iniciar una sesión (sugiere {email}). Continúe solo si quería iniciar sesión ahora, con su propia cuenta de trabajo.',
  'confirmConnection.button': 'Continuar al inicio de sesión de su empresa',

  'switchAccount.title': '¿Cambiar de cuenta?',
  'switchAccount.lead': 'Ha iniciado sesión como {current}.',
  'switchAccount.body':
    'Un inicio de sesión de empresa que usted no empezó aquí quiere iniciar sesión en este navegador como {email}. Continúe solo si era su intención.',
  'switchAccount.continue': 'Continuar como {email}',
  'switchAccount.stay': 'Seguir con la sesión de {current}',

  'chooser.title': 'Elija cómo iniciar sesión',

  'handoff.signOutTitle': 'Cerrando la sesión',
  'handoff.signOutHeading': 'Cerrando la sesión…',
  'handoff.signOutLead': 'También se está cerrando su sesión en el inicio de sesión de su empresa.',
  'handoff.idpTitle': 'Continuando al inicio de sesión',
  'handoff.idpHeading': 'Continuando al inicio de sesión de su empresa…',
  'handoff.idpLead': 'Le estamos llevando a la página de inicio de sesión de su empresa.',

  'account.title': 'Su cuenta',
  'account.heading': 'Sesión iniciada como {name}',
  'account.sessions': 'Dónde tiene la sesión iniciada',
  'account.device': 'Dispositivo',
  'account.connection': 'Inició sesión mediante',
  'account.ip': 'Dirección IP',
  'account.signedIn': 'Inicio de sesión',
  'account.lastActive': 'Última actividad',
  'account.action': 'Acción',
  'account.thisDevice': 'Este dispositivo',
  'account.unknown': 'desconocido',
  'account.signOutThisDevice': 'Cerrar sesión en este dispositivo',
  'account.signOutSessionOn': 'Cerrar la sesión en {device}',
  'account.signOutOthers': 'Cerrar todas las demás sesiones',
  'account.signOutEverywhere': 'Cerrar sesión en todas partes',
  'account.ended':
    '{count, plural, one {Se cerró # otra sesión.} other {Se cerraron # otras sesiones.}}',
  'account.time': '{time} UTC',

  'device.name': '{browser} en {system}',
  'device.unknown': 'Dispositivo desconocido',
  'device.unknownBrowser': 'Navegador',
  'device.unknownSystem': 'sistema desconocido',

  'signedOut.title': 'Sesión cerrada',
  'signedOut.heading': 'Ha cerrado la sesión',
  'signedOut.lead': 'Ha cerrado la sesión en Latchkey. Puede cerrar esta ventana.',
  'signedOut.signInAgain': 'Volver a iniciar sesión',

  'confirmLogout.title': '¿Cerrar sesión?',
  'confirmLogout.lead': 'Una aplicación ha pedido cerrar su sesión en Latchkey.',

  'error.signInFailed': 'No hemos podido iniciar su sesión',
  'error.tooMany': 'Demasiados intentos',
  'error.badRequest': 'Solicitud incorrecta',
  'error.signInRequired': 'Es necesario iniciar sesión',
  'error.notAllowed': 'No permitido',
  'error.notFound': 'No encontrado',
  'error.methodNotAllowed': 'Método no permitido',
  'error.conflict': 'Conflicto',
  'error.preconditionFailed': 'Condición previa no cumplida',
  'error.tooLarge': 'Solicitud demasiado grande',
  'error.unsupportedMediaType': 'Formato no admitido',
  'error.unavailable': 'No disponible temporalmente',
  'error.somethingWrong': 'Algo ha salido mal',
  'error.itDetails': 'Detalles para su equipo de TI',
  'error.reason': 'Motivo',
  'error.message': 'Mensaje',
  'error.correlationId': 'ID de correlación',
  'error.correlationHint':
    'Deles el ID de correlación: con él encontrarán este intento en los registros.',
  'error.backToSignIn': 'Volver al inicio de sesión',

  'advice.startAgain.happened':
    'El inicio de sesión tardó demasiado o se empezó en otra ventana u otro navegador.',
  'advice.startAgain.todo':
    'Empiece de nuevo desde la página de inicio de sesión, en este navegador.',
  'advice.idpSetup.happened':
    'El servicio de inicio de sesión de su empresa respondió de una forma que no pudimos verificar.',
  'advice.idpSetup.todo':
    'Hace falta un cambio en la configuración de inicio de sesión de su empresa: póngase en contacto con su administrador de TI y facilítele los detalles de abajo.',
  'advice.idpDown.happened':
    'El servicio de inicio de sesión de su empresa no responde en este momento.',
  'advice.idpDown.todo':
    'Inténtelo de nuevo en unos minutos. Si sigue ocurriendo, póngase en contacto con su administrador de TI.',
  'advice.idpRefused.happened':
    'El servicio de inicio de sesión de su empresa no completó el inicio de sesión.',
  'advice.idpRefused.todo':
    'Inténtelo de nuevo. Si sigue ocurriendo, póngase en contacto con su administrador de TI y facilítele los detalles de abajo.',
  'advice.account.happened': 'Su cuenta no puede iniciar sesión aquí.',
  'advice.account.todo':
    'Póngase en contacto con su administrador de TI y facilítele los detalles de abajo.',
  'advice.emailDomain.happened':
    'La dirección de correo que envió su empresa no pertenece a ninguno de sus dominios de trabajo aquí.',
  'advice.emailDomain.todo':
    'Inicie sesión con su correo electrónico de trabajo. Si es el que usó, póngase en contacto con su administrador de TI.',
  'advice.emailNotVerified.happened':
    'Su empresa no ha confirmado su dirección de correo electrónico.',
  'advice.emailNotVerified.todo':
    'Póngase en contacto con su administrador de TI: su dirección de correo debe estar verificada en el servicio de inicio de sesión de su empresa.',
  'advice.assurance.happened':
    'Su organización exige un inicio de sesión más seguro, como un segundo paso (un código, una llave de seguridad o una confirmación en una aplicación), y el servicio de inicio de sesión de su empresa no indicó ninguno.',
  'advice.assurance.todo':
    'Vuelva a iniciar sesión y complete el paso adicional que le pida el servicio de inicio de sesión de su empresa. Si no le pide ninguno, póngase en contacto con su administrador de TI.',
  'advice.orgDisabled.happened': 'Su organización no puede iniciar sesión en este momento.',
  'advice.orgDisabled.todo': 'Póngase en contacto con su administrador de TI.',
  'advice.connectionUnavailable.happened': 'Esta opción de inicio de sesión ya no está disponible.',
  'advice.connectionUnavailable.todo':
    'Empiece de nuevo desde la página de inicio de sesión con su correo electrónico de trabajo.',
  'advice.protocolUnavailable.happened': 'Esta opción de inicio de sesión aún no está configurada.',
  'advice.protocolUnavailable.todo':
    'Empiece de nuevo desde la página de inicio de sesión o póngase en contacto con su administrador de TI.',
  'advice.crossSite.happened': 'Este inicio de sesión se empezó desde otro sitio web.',
  'advice.crossSite.todo': 'Empiece de nuevo desde la página de inicio de sesión.',
  'advice.csrf.happened':
    'Este formulario estuvo abierto demasiado tiempo o procede de otra página.',
  'advice.csrf.todo': 'Vuelva a cargar la página e inténtelo de nuevo.',
  'advice.notFound.happened': 'No hay nada en esta dirección.',
  'advice.notFound.todo':
    'Compruebe la dirección o empiece de nuevo desde la página de inicio de sesión.',
  'advice.returnTo.happened':
    'Este enlace de inicio de sesión apunta a un destino al que no le enviaremos.',
  'advice.returnTo.todo':
    'Empiece de nuevo desde su aplicación o desde la página de inicio de sesión.',
  'advice.generic.happened': 'Algo ha salido mal con esta solicitud.',
  'advice.generic.todo':
    'Empiece de nuevo desde la página de inicio de sesión. Si sigue ocurriendo, póngase en contacto con su administrador de TI y facilítele los detalles de abajo.',
  'advice.tooManySignIns':
    'Demasiados intentos de inicio de sesión. Espere {wait} y vuelva a intentarlo.',
  'advice.tooMany': 'Demasiadas solicitudes. Espere {wait} y vuelva a intentarlo.',

  'wait.seconds': '{count, plural, one {# segundo} other {# segundos}}',
  'wait.minutes': '{count, plural, one {# minuto} other {# minutos}}',
  'wait.hours': '{count, plural, one {# hora} other {# horas}}',

  // The setup portal: its own parts, one per group of steps.
  ...portalSetupEs,
  ...portalOpsEs,
};
