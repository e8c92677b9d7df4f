//! rpc-style operations as the document-style shape they put on the wire: the body holds one
//! wrapper element named after the operation (`…Response` for the answer) in the binding's
//! `soap:body namespace`, with one unqualified child per part (WSDL 1.1 §3.5). Modelling the
//! wrapper as an element part lets manifests, emitters and the facade treat rpc services, literal
//! or encoded, like the document-style ones: paths start at the wrapper (`createOrder/customerId`).

use std::collections::BTreeSet;

use super::builtins::upper_first;
use crate::model::{
    Field, FieldKind, MessagePart, PartContent, QName, SoapMessage, SoapOperation, StructType,
    Style, TypeDef, TypeGraph, TypeId, TypeKind, TypeRef,
};

/// Replaces the body parts of every rpc-style operation's input and output by their wrapper.
pub(super) fn wrap(ops: &mut [SoapOperation], types: &mut TypeGraph) {
    let mut names: BTreeSet<QName> = types.types.values().map(|t| t.name.clone()).collect();
    for op in ops.iter_mut().filter(|o| o.style == Style::Rpc) {
        let binding = op.binding.local.clone();
        for (message, local, step) in [
            (op.input.as_mut(), op.name.clone(), "in"),
            (op.output.as_mut(), format!("{}Response", op.name), "out"),
        ] {
            if let Some(m) = message {
                wrap_message(m, &local, &format!("{binding}/{step}"), types, &mut names);
            }
        }
    }
}

fn wrap_message(
    m: &mut SoapMessage,
    local: &str,
    key: &str,
    types: &mut TypeGraph,
    names: &mut BTreeSet<QName>,
) {
    let ns = m.rpc_namespace.clone().unwrap_or_default();
    let element = QName::new(ns.clone(), local);
    let id = TypeId(format!("{element}#rpc/{key}"));
    let fields = m.body.iter().map(child).collect();
    let mut name = QName::new(ns.clone(), upper_first(local));
    let mut n = 1;
    while names.contains(&name) {
        n += 1;
        name = QName::new(
            ns.clone(),
            format!(
                "{}Rpc{}",
                upper_first(local),
                if n == 2 { String::new() } else { n.to_string() }
            ),
        );
    }
    names.insert(name.clone());
    let mut def = TypeDef::new(
        id.clone(),
        name,
        TypeKind::Struct(StructType {
            fields,
            ..StructType::default()
        }),
    );
    def.anonymous = true;
    let span = m.body.first().and_then(|p| p.span);
    def.span = span;
    types.insert(def);
    m.body = vec![MessagePart {
        name: local.to_owned(),
        message: m.message.clone(),
        content: PartContent::Element {
            element,
            ty: TypeRef::Named(id),
            nullable: false,
        },
        span,
    }];
}

/// A part as a child of the wrapper: `type=` parts as unqualified elements named after the
/// part, `element=` parts as that element.
fn child(part: &MessagePart) -> Field {
    let (xml_name, ty, nullable) = match &part.content {
        PartContent::Type { ty } => (QName::local(part.name.clone()), ty.clone(), false),
        PartContent::Element {
            element,
            ty,
            nullable,
        } => (element.clone(), ty.clone(), *nullable),
    };
    let mut f = Field::new(xml_name.local.clone(), FieldKind::Element, ty);
    f.xml_name = Some(xml_name);
    f.nullable = nullable;
    f.span = part.span;
    f
}
