export { loadTemplates, TemplateLoadError, TemplateRenderError } from './load-templates';
export type { CompiledTemplate, LoadedTemplates, TemplateProblem } from './load-templates';
export { renderEmail, renderNotice, renderTask } from './render';
export type { RenderContext, RenderedEmail } from './render';
export type { FeatureInfo } from './helpers';
export {
  createTemplateExists,
  defaultTemplatesDir,
  listTemplateNames,
  templateExists,
  templateTypes,
} from './template-files';
export type { TemplateType } from './template-files';
