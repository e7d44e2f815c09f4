//! Function bodies → Folio's bytecode. (Stub; being written.)

use crate::prelude::*;
use crate::runtime::Error;
use wasmparser::{FuncValidator, FunctionBody, ValidatorResources};

/// A translated function body.
#[derive(Debug)]
pub(crate) struct CompiledFunc {}

/// Validates and translates one function body.
pub(crate) fn translate(
    validator: &mut FuncValidator<ValidatorResources>,
    body: &FunctionBody<'_>,
) -> Result<CompiledFunc, Error> {
    validator.validate(body)?;
    Ok(CompiledFunc {})
}
