export { CaptureError, type CaptureErrorReason, RevertConflictError } from './capture-error';
export {
  type CaptureInputOptions,
  captureInputs,
  type RowChange,
  rowId,
  trackedFields,
} from './inputs';
export {
  type CaptureAction,
  type CaptureDiff,
  type CaptureOptions,
  type CaptureRow,
  type CaptureSettings,
  type CaptureTemplate,
  captureSettings,
} from './options';
export { planRevert, type RevertPatch, type RevertPlan, revertPatchOf } from './revert-patch';
