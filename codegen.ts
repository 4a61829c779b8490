import type { CodegenConfig } from '@graphql-codegen/cli';

/** `npm run codegen`: typed resolvers from schema/*.graphql, with database rows as parents. */
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useIndexSignature: true,
        contextType: '../graphql/context.js#Context',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { JSONObject: 'Record<string, unknown>', DateTime: 'Date', Date: { input: 'Date', output: 'string | Date' }, Decimal: 'string' },
        mappers: {
          Domain: '../modules/domain/domain.repository.js#DomainRow',
          ApiKey: '../modules/domain/domain.repository.js#ApiKeyView',
          Profile: '../modules/profile/profile.repository.js#ProfileRow',
          ContactConnection: '../read/connection.js#NestedConnection',
          CaseConnection: '../read/connection.js#NestedConnection',
          OrderConnection: '../read/connection.js#NestedConnection',
          ObjectType: '../modules/object-type/object-type.service.js#ObjectTypeView',
          ObjectTypeField: '../modules/object-type/object-type.table.js#FieldDefinition',
          ObjectTypeKey: '../modules/object-type/object-type.table.js#KeyDefinition',
          ObjectTypeTemplate: '../modules/object-type/object-type.templates.js#ObjectTypeTemplateSpec',
          DetectedObjectType: '../modules/object-type/object-type.detect.js#DetectionResult',
          IngestSource: '../modules/inbound/inbound.repository.js#IngestSourceView',
          EventSink: '../modules/sink/sink.repository.js#EventSinkView',
          ProfileObject: '../modules/ingest/ingest.repository.js#ProfileObjectRow',
          ProfileObjectConnection: '../read/connection.js#NestedConnection',
          DeadLetter: '../modules/ingest/ingest.repository.js#DeadLetterRow',
          PutProfileObjectResult: '../modules/ingest/ingest.service.js#IngestResult',
          Contact: '../modules/contact/contact.repository.js#ContactRow',
          Case: '../modules/case/case.repository.js#CaseRow',
          Order: '../modules/order/order.repository.js#OrderRow',
          Address: '../modules/profile/profile.table.js#AddressValue',
          OrderItem: '../modules/order/order.table.js#OrderItemValue',
          ProfileEvent: '../modules/events/event.repository.js#EventRow',
          ProfileHistoryRecord: '../modules/events/event.repository.js#EventRow',
          ProfileHistoryConnection: '../modules/events/history.js#HistoryConnection',
          Job: '../modules/jobs/job.repository.js#JobRow',
          CalculatedAttributeDefinition: '../modules/calculated/calculated.repository.js#DefinitionRow',
          CalculatedAttributeValue: '../modules/calculated/calculated.relations.js#CalculatedValue',
          Segment: '../modules/segment/segment.service.js#LoadedSegment',
          IndustryTemplateInfo: '../modules/template/template.catalog.js#IndustryTemplateSpec',
          TemplateCalculatedAttribute: '../modules/calculated/templates.js#TemplateDefinition',
          SegmentMembershipChange: '../modules/events/event.repository.js#EventRow',
        },
      },
    },
  },
};
export default config;
