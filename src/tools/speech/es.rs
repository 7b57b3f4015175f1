//! The Spanish catalogue: every [`Say`] in Spanish, in the formal register (usted) a business
//! uses with callers. Tool and argument names (`appointment_read`, `eventTypeId`) stay as they are:
//! they are the model's, not the caller's.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{DayTimes, Doing, Fault, Filled, Reaching, Say, Searched, UserLine, WaitDays, Within};
use crate::{
    domain::{
        appointment::Status,
        language::Language,
        local_time::{
            self, DayPart, speak_at, speak_date, speak_full_date, speak_instant, speak_time,
        },
    },
    tools::Tool,
};

const ES: Language = Language::Es;

/// An appointment's status as a Spanish word (feminine: "la cita está confirmada").
pub(super) fn status(status: Status) -> &'static str {
    match status {
        Status::Unknown => "en un estado desconocido",
        Status::Pending => "pendiente de confirmación",
        Status::Accepted => "confirmada",
        Status::Ended => "terminada",
        Status::Cancelled => "cancelada",
        Status::Rejected => "rechazada",
        Status::Rescheduled => "cambiada a otra hora",
    }
}

fn tool(t: Tool) -> &'static str {
    match t {
        Tool::AppointmentRead => "consultar citas",
        Tool::AppointmentCreate => "reservar citas",
        Tool::AppointmentUpdate => "cambiar citas",
        Tool::AppointmentCancel => "cancelar citas",
        Tool::UserRead => "consultar los usuarios del calendario",
        Tool::UserCreate => "crear usuarios del calendario",
        Tool::AvailabilityRead => "consultar horarios libres",
        Tool::CallerVerify => "confirmar un correo electrónico",
        Tool::CallOptOut => "dejar de llamar a este número",
        Tool::WaitlistJoin => "apuntarse a la lista de espera",
        Tool::WaitlistLeave => "salir de la lista de espera",
    }
}

fn doing(d: Doing) -> &'static str {
    match d {
        Doing::CheckingOpenTimes => "consultaba los horarios libres",
        Doing::LookingUpOwner => "consultaba el titular del calendario",
        Doing::LookingUpUsers => "consultaba los usuarios",
        Doing::CreatingUser => "creaba el usuario",
        Doing::LookingUpAppointment => "buscaba la cita",
        Doing::LookingUpAppointments => "buscaba las citas",
        Doing::Booking => "reservaba la cita",
        Doing::Moving => "cambiaba la cita",
        Doing::Cancelling => "cancelaba la cita",
    }
}

/// "20 segundos", "un minuto", "3 minutos".
fn wait(secs: u64) -> String {
    match secs {
        0..=1 => "un segundo".to_owned(),
        2..=59 => format!("{secs} segundos"),
        60..=89 => "un minuto".to_owned(),
        _ => format!("{} minutos", secs.div_ceil(60)),
    }
}

fn clock(t: NaiveTime) -> String {
    speak_time(t, ES)
}

fn part(p: DayPart) -> &'static str {
    match p {
        DayPart::Morning => "por la mañana",
        DayPart::Afternoon => "por la tarde",
        DayPart::Evening => "por la noche",
    }
}

/// "por la tarde", "hacia las tres de la tarde", "entre las dos y las cuatro de la tarde".
fn within(w: Within) -> String {
    match w {
        Within::WholeDay => String::new(),
        Within::Part(p) => part(p).to_owned(),
        Within::Around(t) => format!("hacia {}", clock(t)),
        Within::Between(f, t) => format!("entre {} y {}", clock(f), clock(t)),
        Within::After(f) => format!("después de {}", clock(f)),
        Within::Before(t) => format!("antes de {}", clock(t)),
    }
}

fn within_tail(w: Within) -> String {
    match w {
        Within::WholeDay => String::new(),
        _ => format!(" {}", within(w)),
    }
}

/// "el lunes 23 de noviembre" or "del lunes 23 de noviembre al miércoles 25 de noviembre".
fn range(first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        format!("el {}", speak_date(first, ES))
    } else {
        format!("del {} al {}", speak_date(first, ES), speak_date(last, ES))
    }
}

/// A list as Spanish joins it: "a, b y c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} y {last}", rest.join(", ")),
    }
}

/// "martes 24 de noviembre: las nueve de la mañana, las nueve y media de la mañana y 10 más".
fn day(d: &DayTimes) -> String {
    let mut listed: Vec<String> = d.times.iter().map(|t| clock(*t)).collect();
    if d.more > 0 {
        listed.push(format!("{} más", d.more));
    }
    format!("{}: {}", speak_date(d.date, ES), and_list(&listed))
}

fn local_when(t: &DateTime<Tz>) -> String {
    format!("el {} {}", speak_date(t.date_naive(), ES), speak_at(t, ES))
}

/// "el martes 24 de noviembre a las tres de la tarde (EST)".
fn when(at: Option<DateTime<Utc>>, zone: Tz) -> String {
    at.map_or_else(
        || say(&Say::UnknownTime),
        |t| format!("el {}", speak_instant(t, zone, ES)),
    )
}

/// "del martes 24 de noviembre a las tres de la tarde (EST)": an appointment's time after "la cita".
fn of_when(at: Option<DateTime<Utc>>, zone: Tz) -> String {
    at.map_or_else(
        || format!("de {}", say(&Say::UnknownTime)),
        |t| format!("del {}", speak_instant(t, zone, ES)),
    )
}

fn zone_of(zone: Tz) -> String {
    local_time::zone_label(zone, ES)
}

fn user(u: &UserLine) -> String {
    let name = u
        .name
        .clone()
        .unwrap_or_else(|| format!("usuario {}", u.id));
    match (&u.email, &u.time_zone) {
        (Some(email), Some(tz)) => {
            format!("{name} ({email}), usuario {}, zona horaria {tz}", u.id)
        }
        (Some(email), None) => format!("{name} ({email}), usuario {}", u.id),
        _ => format!("{name}, usuario {}", u.id),
    }
}

fn users(list: &[UserLine]) -> String {
    list.iter().map(user).collect::<Vec<_>>().join("; ")
}

fn searched(s: &Searched) -> String {
    match s {
        Searched::Contacts {
            phone,
            email,
            narrowed,
        } => {
            let mut parts: Vec<String> = phone.iter().map(|p| format!("el número {p}")).collect();
            parts.extend(email.iter().map(|e| format!("el correo {e}")));
            let mut text = parts.join(" o ");
            if *narrowed {
                text.push_str(" que coincidan con los datos dados");
            }
            text
        }
        Searched::ThisCall { emails, hint } => match hint {
            Some(hint) if emails.is_empty() => {
                format!("esta llamada. {}", say(hint).trim_end_matches('.'))
            }
            _ if emails.is_empty() => "esta llamada".to_owned(),
            _ => format!(
                "esta llamada y el correo que confirmó ({})",
                emails.join(", ")
            ),
        },
    }
}

/// The message in Spanish.
pub(super) fn say(msg: &Say) -> String {
    match msg {
        Say::Calendar { fault, doing: d } => {
            let doing = doing(*d);
            match fault {
                Fault::Timeout => format!(
                    "El calendario tardó demasiado en responder mientras {doing}. Inténtelo de nuevo en un momento."
                ),
                Fault::Unreachable => format!(
                    "No pude conectar con el calendario mientras {doing}. Inténtelo de nuevo en un momento."
                ),
                Fault::Unreadable => format!(
                    "El calendario envió una respuesta que no pude leer mientras {doing}."
                ),
                Fault::RateLimited { retry_after_secs } => format!(
                    "El calendario está ocupado ahora mismo y no pude terminar mientras {doing}. Inténtelo de nuevo en unos {}.",
                    wait(*retry_after_secs)
                ),
                Fault::Busy => format!(
                    "El calendario está demasiado ocupado ahora mismo mientras {doing}. Inténtelo de nuevo en un minuto."
                ),
                Fault::Refused => format!(
                    "El calendario rechazó el acceso mientras {doing}; el negocio tiene que revisar su conexión con Cal.com."
                ),
                Fault::Broken { status } => format!(
                    "El calendario tuvo un problema (error {status}) mientras {doing}. Inténtelo de nuevo en un momento."
                ),
                Fault::Rejected { message } => format!(
                    "El calendario no pudo hacerlo mientras {doing}. Motivo (en inglés): {message}"
                ),
                Fault::CallShareSpent => format!(
                    "Esta llamada ha hecho demasiadas consultas al calendario, así que no pude terminar mientras {doing}. Elija un día y una hora de lo que ya encontré, o vuelva a llamar más tarde."
                ),
            }
        }
        Say::StaffOnly(t) => format!(
            "Lo siento, {} es solo para el personal del negocio, así que no puedo hacerlo en esta llamada.",
            tool(*t)
        ),
        Say::UnknownTool { name, names } => format!(
            "No hay ninguna herramienta llamada '{name}'. Las herramientas son: {}.",
            names.join(", ")
        ),
        Say::TooLong { tool, why } => format!(
            "No pude usar los datos dados a {tool}: {why}. Acórtelo e inténtelo de nuevo."
        ),
        Say::BadDetails { tool, why } => format!(
            "No pude usar los datos dados a {tool}: {why}. Revíselos e inténtelo de nuevo."
        ),
        Say::UnreadableDetails { tool, why } => {
            format!("No pude leer los datos dados a {tool}: {why}.")
        }
        Say::CannotWriteNow => {
            "Ahora mismo no puedo hacer cambios en el calendario. Inténtelo de nuevo en un momento."
                .to_owned()
        }
        Say::StillWorking => "Todavía estoy con esa misma petición. Pregúnteme de nuevo en un momento y le diré cómo ha ido.".to_owned(),
        Say::TooManyToolCalls { limit } => format!(
            "No se hizo: un mensaje puede llevar como mucho {limit} llamadas a herramientas. Pida menos cosas a la vez."
        ),
        Say::StillBookingOther => {
            "Todavía estoy reservando su otra cita. Pregúnteme de nuevo en un momento.".to_owned()
        }
        Say::CannotBookNow => {
            "Ahora mismo no pude reservar. Inténtelo de nuevo en un momento.".to_owned()
        }
        Say::CallBookingCap { max } => format!(
            "No se reservó nada: una llamada puede hacer como mucho {max} reservas. El negocio puede ayudar con más; pida a la persona que llama que se ponga en contacto con él."
        ),
        Say::CallerDailyCap { max } => format!(
            "No se reservó nada: un número de teléfono puede hacer como mucho {max} reservas al día, y este ya llegó a ese límite hoy. Puede reservar más mañana o ponerse en contacto con el negocio."
        ),
        Say::NotBookableType => "Ese tipo de cita no se puede reservar en esta línea; deje eventTypeId vacío para usar el tipo de cita del negocio.".to_owned(),
        Say::NoEventType => "No hay ningún tipo de cita configurado para reservar; el negocio tiene que configurar CAL_EVENT_TYPE_ID.".to_owned(),
        Say::ClosedWindow { from, to } => format!(
            "No hay ninguna hora después de {} y antes de {}; indique un intervalo que exista.",
            clock(*from),
            clock(*to)
        ),
        Say::WindowConflict { date, said, fields } => format!(
            "La fecha '{date}' pide horas {}, pero los otros campos piden horas {}. ¿Cuál quiso decir la persona que llama?",
            within(*said),
            within(*fields)
        ),
        Say::OtherHost {
            owner,
            owner_id,
            asked,
        } => {
            let owner = owner.as_deref().unwrap_or("el negocio");
            match owner_id {
                Some(id) => format!(
                    "Solo puedo consultar el calendario de {owner} (usuario {id}), no el del usuario {asked}."
                ),
                None => format!(
                    "Solo puedo consultar el calendario de {owner}; deje userId vacío."
                ),
            }
        }
        Say::EndBeforeStart { first, last } => format!(
            "La fecha final, {}, es anterior a la fecha inicial, {}.",
            speak_date(*last, ES),
            speak_date(*first, ES)
        ),
        Say::DaysPassed { last, today } => format!(
            "El {} ya pasó; hoy es {}.",
            speak_date(*last, ES),
            speak_full_date(*today, ES)
        ),
        Say::TooManyDays { max } => {
            format!("Son demasiados días a la vez; pida como mucho {max} días.")
        }
        Say::OpenTimes {
            within: w,
            zone,
            days,
            more_days,
        } => {
            let spoken: Vec<String> = days.iter().map(day).collect();
            let tail = if *more_days > 0 {
                format!(" También hay horas libres otros {more_days} días.")
            } else {
                String::new()
            };
            format!(
                "Horas libres{} ({}): {}.{tail}",
                within_tail(*w),
                zone_of(*zone),
                spoken.join(". ")
            )
        }
        Say::NothingInWindow {
            within: w,
            first,
            last,
            zone,
            nearest,
        } => {
            let spoken: Vec<String> = nearest.iter().map(local_when).collect();
            format!(
                "No hay nada libre {} {} ({}). Las horas libres más cercanas fuera de ese intervalo son {}.",
                within(*w),
                range(*first, *last),
                zone_of(*zone),
                spoken.join("; ")
            )
        }
        Say::NextOpenDay {
            within: w,
            first,
            last,
            zone,
            next,
        } => format!(
            "No hay horas libres{} {} ({}). El próximo día con horas libres es el {}.",
            within_tail(*w),
            range(*first, *last),
            zone_of(*zone),
            day(next)
        ),
        Say::NothingOpenAhead {
            within: w,
            first,
            last,
            zone,
            lookahead_days,
        } => format!(
            "No hay horas libres{} {} ({}) ni en los {lookahead_days} días siguientes.",
            within_tail(*w),
            range(*first, *last),
            zone_of(*zone)
        ),
        Say::StartPassed { start, now, zone } => format!(
            "El {} ya pasó; ahora es el {}.",
            speak_instant(*start, *zone, ES),
            speak_instant(*now, *zone, ES)
        ),
        Say::Taken {
            asked,
            zone,
            nearest,
        } => {
            let asked = speak_instant(*asked, *zone, ES);
            if nearest.is_empty() {
                format!(
                    "El {asked} no está disponible, y no hay nada libre cerca. Pruebe otro día."
                )
            } else {
                let spoken: Vec<String> = nearest
                    .iter()
                    .map(|t| format!("el {}", speak_instant(*t, *zone, ES)))
                    .collect();
                let isos: Vec<String> = nearest
                    .iter()
                    .map(|t| local_time::local_iso(*t, *zone))
                    .collect();
                format!(
                    "El {asked} no está disponible. Las horas libres más cercanas son {} (valores de start: {}).",
                    spoken.join("; "),
                    isos.join(", ")
                )
            }
        }
        Say::PhoneNotFullForBooking { raw } => format!(
            "'{raw}' no parece un número de teléfono completo; dígalo con el prefijo del país."
        ),
        Say::PhoneNotFull { raw } => {
            format!("'{raw}' no parece un número de teléfono completo.")
        }
        Say::OnlyOwnNumber { own } => format!(
            "Solo puedo reservar con el número desde el que llama ({own}); deje attendeePhone vacío para usarlo."
        ),
        Say::NoNumberToBookUnder => "Esta llamada no tiene número de teléfono, así que no puedo reservar con un número; deje attendeePhone vacío y dé un correo electrónico.".to_owned(),
        Say::NeedName => "Necesito el nombre de la persona para la cita.".to_owned(),
        Say::BadEmail { email } => format!(
            "'{email}' no parece un correo electrónico; por favor, deletréelo otra vez."
        ),
        Say::NeedPhoneOrEmail => {
            "Necesito un número de teléfono o un correo electrónico para reservar la cita."
                .to_owned()
        }
        Say::NeedContactToSearch => {
            "Necesito un número de teléfono o un correo electrónico para buscar citas.".to_owned()
        }
        Say::NoSuchEventType { id } => {
            format!("El tipo de cita {id} no existe en el calendario.")
        }
        Say::NothingBooked { fault, at, zone } => format!(
            "{} No se reservó nada para el {}; compruebe que la hora sigue libre e inténtelo de nuevo.",
            say(fault),
            speak_instant(*at, *zone, ES)
        ),
        Say::Booked {
            at,
            zone,
            name,
            uid,
            pending,
            filled,
        } => {
            let when = speak_instant(*at, *zone, ES);
            let summary = if *pending {
                format!(
                    "Solicitada la cita del {when} para {name}; el negocio todavía tiene que confirmarla. Identificador de la cita: {uid}."
                )
            } else {
                format!("Reservada la cita del {when} para {name}. Identificador de la cita: {uid}.")
            };
            if filled.is_empty() {
                return summary;
            }
            let what: Vec<String> = filled
                .iter()
                .map(|f| match f {
                    Filled::Name(name) => format!("el nombre {name}"),
                    Filled::Email(email) => format!("el correo {email}"),
                })
                .collect();
            format!(
                "{summary} Usé {} de la última reserva de quien llama; confírme{} con la persona.",
                and_list(&what),
                if what.len() == 1 { "lo" } else { "los" }
            )
        }
        Say::AlreadyBooked { at, zone, name, uid } => format!(
            "Ya se reservó la cita {} para {name} antes en esta llamada; no se reservó nada nuevo. Identificador de la cita: {uid}.",
            of_when(*at, *zone)
        ),
        Say::AlreadyAt { at, zone } => format!(
            "La cita ya es el {}.",
            speak_instant(*at, *zone, ES)
        ),
        Say::Moved { from, to, zone, uid } => format!(
            "Cambié la cita {} al {}. El nuevo identificador de la cita es {uid}.",
            of_when(*from, *zone),
            speak_instant(*to, *zone, ES)
        ),
        Say::Cancelled { at, zone, already } => {
            let when = of_when(*at, *zone);
            if *already {
                format!("La cita {when} ya estaba cancelada.")
            } else {
                format!("Cancelé la cita {when}.")
            }
        }
        Say::NeedAppointmentId => {
            "Necesito el identificador de la cita; búsquelo antes con appointment_read.".to_owned()
        }
        Say::NoAppointmentWithId { uid } => {
            format!("No encontré ninguna cita con el identificador {uid}.")
        }
        Say::NotUnderYourNumber => "No encontré esa cita con el número desde el que llama. Revise el identificador o busque sus citas sin él.".to_owned(),
        Say::NotInThisCall { hint } => format!(
            "No encontré esa cita entre las reservadas durante esta llamada. {}",
            say(hint)
        ),
        Say::ConfirmEmailFirst { reaching } => format!(
            "Esta llamada no tiene número de teléfono, así que antes de compartir o cambiar {} la persona que llama debe confirmar el correo con el que se reservó: pídale ese correo, envíele un código de un solo uso con caller_verify y pídale que lea el código.",
            match reaching {
                Reaching::AnEarlierAppointment => "una cita reservada antes",
                Reaching::EarlierAppointments => "citas reservadas antes",
            }
        ),
        Say::NoCodesOnThisLine => "No puedo confirmar correos en esta línea, así que las citas reservadas antes no se pueden consultar desde una llamada sin número de teléfono. Pida a la persona que vuelva a llamar desde el número con el que reservó la cita; entonces podré encontrarla.".to_owned(),
        Say::AlreadyMoved { uid, new_uid } => {
            format!("La cita {uid} ya se cambió; su nuevo identificador es {new_uid}.")
        }
        Say::Inactive { at, zone, status: s } => format!(
            "La cita {} está {} y no se puede cambiar.",
            of_when(*at, *zone),
            status(*s)
        ),
        Say::LookupFailed => {
            "Ahora mismo no pude buscar las citas. Inténtelo de nuevo en un momento.".to_owned()
        }
        Say::AppointmentIs {
            uid,
            at,
            zone,
            status: s,
        } => format!(
            "La cita {uid} es {} y está {}.",
            when(*at, *zone),
            status(*s)
        ),
        Say::NoneFound { searched: s } => {
            format!("No encontré próximas citas para {}.", searched(s))
        }
        Say::Found {
            count,
            listed,
            zone,
        } => {
            let items: Vec<String> = listed
                .iter()
                .map(|(at, uid)| format!("{} (identificador {uid})", when(*at, *zone)))
                .collect();
            let more = count.saturating_sub(listed.len());
            let head = if *count == 1 {
                "1 próxima cita".to_owned()
            } else {
                format!("{count} próximas citas")
            };
            let tail = if more > 0 {
                format!(" y {more} más")
            } else {
                String::new()
            };
            format!("{head}: {}{tail}.", items.join("; "))
        }
        Say::UnknownTime => "una hora desconocida".to_owned(),
        Say::OptedOut { already: false } => "Hecho: el negocio no volverá a llamar a este número. Las citas siguen como están.".to_owned(),
        Say::OptedOut { already: true } => "Este número ya había pedido que no lo llamen; el negocio no lo llamará.".to_owned(),
        Say::OptOutNeedsNumber => "Esta llamada no tiene número de teléfono, así que no hay ningún número al que dejar de llamar.".to_owned(),
        Say::HandingOver => "Disculpe, esto no está funcionando: le paso ahora con una persona del negocio.".to_owned(),
        Say::NoWaitlist => "Este negocio no tiene lista de espera. Ofrezca a la persona otro día con horas libres.".to_owned(),
        Say::WaitlistNeedsNumber => "Esta llamada no tiene número de teléfono, así que la lista de espera no tiene a qué número devolver la llamada. Pida a la persona que llame desde su teléfono.".to_owned(),
        Say::WaitlistOptedOut => "Este número pidió que el negocio no lo llame, así que la lista de espera no puede devolverle la llamada.".to_owned(),
        Say::WaitlistFull { max } => format!("Este número ya espera {max} horas, lo máximo permitido. Pida a la persona que deje una primero, o que elija una hora libre."),
        Say::WaitlistTooFar { max_days } => format!("La lista de espera solo acepta días dentro de los próximos {max_days} días. Pida días más cercanos."),
        Say::WaitlistJoined { days, id, already: false } => format!(
            "La persona está en la lista de espera para {}. Si se libera una hora entonces, el negocio llama a este número, guarda la hora durante la llamada y la reserva si la quiere. Identificador {id}.",
            wait_days(days)
        ),
        Say::WaitlistJoined { days, id, already: true } => format!(
            "La persona ya estaba en la lista de espera para {}; nada cambió. Identificador {id}.",
            wait_days(days)
        ),
        Say::WaitlistLeft { days } => format!("Hecho: la persona ya no está en la lista de espera para {}.", wait_days(days)),
        Say::WaitlistNotFound => "Este número no tiene ninguna entrada así en la lista de espera. Use appointment_read para ver sus entradas.".to_owned(),
        Say::WaitlistWhich { listed } => {
            let spoken: Vec<String> = listed
                .iter()
                .map(|(id, days)| format!("{} (identificador {id})", wait_days(days)))
                .collect();
            format!("La persona espera varias horas: {}. Pregunte cuál quiere dejar y pase su identificador.", spoken.join("; "))
        }
        Say::WaitlistListed { listed } => {
            let spoken: Vec<String> = listed.iter().map(wait_days).collect();
            format!("Además, la persona está en la lista de espera para {}.", spoken.join("; "))
        }
        Say::TimeHeld { at, zone } => format!(
            "El {} está reservado para alguien de la lista de espera mientras el negocio le llama. Ofrezca otra hora.",
            speak_instant(*at, *zone, ES)
        ),
        Say::NoCodeNeeded => "No hace falta ningún código: esta llamada viene de un número de teléfono, y las citas reservadas con él se pueden consultar directamente.".to_owned(),
        Say::NoCallToConfirmIn => "No puedo confirmar un correo fuera de una llamada.".to_owned(),
        Say::TooManyCodes { max } => format!(
            "No puedo enviar más códigos en esta llamada (como mucho {max}). Pida a la persona que use un código ya enviado, o que vuelva a llamar desde el número con el que reservó la cita."
        ),
        Say::CodeSent {
            email,
            digits,
            minutes,
        } => format!(
            "Si {email} tiene una cita con nosotros, le llegará un código de {digits} dígitos; vale durante {minutes} minutos. Pida a la persona que lea el código y llame otra vez a caller_verify con el correo y el código."
        ),
        Say::CodeDigits { digits } => {
            format!("El código tiene {digits} dígitos; pida a la persona que lo lea otra vez.")
        }
        Say::TooManyWrongCodes => "Demasiados códigos incorrectos en esta llamada, así que ya no puedo confirmar el correo. Pida a la persona que vuelva a llamar desde el número con el que reservó la cita.".to_owned(),
        Say::CodeExpired => "Ese código no es correcto o ha caducado. Puedo enviar uno nuevo con caller_verify y solo el correo.".to_owned(),
        Say::CodeWrong { left } => format!(
            "Ese código no es correcto. Pida a la persona que lo lea otra vez (quedan {left} intentos)."
        ),
        Say::EmailConfirmed { email } => format!(
            "Gracias: {email} queda confirmado para esta llamada. Ya se pueden consultar sus citas con appointment_read, y cambiarlas o cancelarlas."
        ),
        Say::CodeEmailSubject => "Su código de confirmación".to_owned(),
        Say::CodeEmailBody { code, minutes } => format!(
            "Su código de confirmación es {code}.\r\n\r\nLéaselo al asistente por teléfono para acceder a sus citas. Vale durante {minutes} minutos y solo en esta llamada. Si no lo pidió, ignore este correo.\r\n"
        ),
        Say::NoStaffLookup => "Lo siento, no puedo consultar el personal del negocio en esta llamada; puedo decirle el nombre del negocio y su zona horaria.".to_owned(),
        Say::OwnerOnly => "Solo puedo consultar el titular del calendario; para consultar otros usuarios hay que configurar CAL_ORGANIZATION_ID.".to_owned(),
        Say::NoUserMatches => "Ningún usuario coincide con ese identificador o correo.".to_owned(),
        Say::NeedsOrganization => "Para crear usuarios hace falta una organización de Cal.com; el negocio tiene que configurar CAL_ORGANIZATION_ID.".to_owned(),
        Say::BadUserEmail { email } => format!("'{email}' no parece un correo electrónico."),
        Say::NeedUserName => "Necesito el nombre del nuevo usuario.".to_owned(),
        Say::UserExists { email } => format!("Ya existe un usuario con el correo {email}."),
        Say::OwnerIs { users: list } => {
            format!("El titular del calendario es {}.", users(list))
        }
        Say::UsersFound { users: list } => format!("Encontré {}.", users(list)),
        Say::UserCreated { user: u } => format!("Creé {}.", user(u)),
        Say::BusinessIs { name, zone } => format!(
            "Este es el calendario de {}; las horas están en {}.",
            name.as_deref().unwrap_or("el negocio"),
            zone.name()
        ),
    }
}

/// "el martes 8 de diciembre por la tarde", "del lunes 7 al viernes 11 de diciembre, a cualquier
/// hora".
fn wait_days(days: &WaitDays) -> String {
    let span = if days.first == days.last {
        format!("el {}", speak_date(days.first, ES))
    } else {
        format!(
            "del {} al {}",
            speak_date(days.first, ES),
            speak_date(days.last, ES)
        )
    };
    match days.part {
        Some(p) => format!("{span} {}", part(p)),
        None => format!("{span}, a cualquier hora"),
    }
}
