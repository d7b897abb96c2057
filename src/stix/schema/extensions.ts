import {
  bool,
  dict,
  int,
  type PropertySpec,
  type PropertyTable,
  ref,
  refs,
  str,
  strList,
  ts,
} from './properties.ts';

const hex: PropertySpec = { k: 'hex' };
const enumOf = (...values: string[]): PropertySpec => ({ k: 'enum', values });

interface ExtensionSpec {
  /** The SCO type the extension is defined for. */
  readonly on: string;
  readonly properties: PropertyTable;
  readonly required: readonly string[];
}

/** Predefined SCO extensions of STIX 2.1 §6 (file, network-traffic, process, user-account). */
export const EXTENSION_SPECS: Readonly<Record<string, ExtensionSpec>> = {
  'archive-ext': {
    on: 'file',
    properties: { contains_refs: refs('file', 'directory'), comment: str },
    required: ['contains_refs'],
  },
  'ntfs-ext': {
    on: 'file',
    properties: { sid: str, alternate_data_streams: { k: 'object-list' } },
    required: [],
  },
  'pdf-ext': {
    on: 'file',
    properties: { version: str, is_optimized: bool, document_info_dict: dict, pdfid0: str, pdfid1: str },
    required: [],
  },
  'raster-image-ext': {
    on: 'file',
    properties: { image_height: int(0), image_width: int(0), bits_per_pixel: int(0), exif_tags: dict },
    required: [],
  },
  'windows-pebinary-ext': {
    on: 'file',
    properties: {
      pe_type: { k: 'string' },
      imphash: str,
      machine_hex: hex,
      number_of_sections: int(0),
      time_date_stamp: ts,
      pointer_to_symbol_table_hex: hex,
      number_of_symbols: int(0),
      size_of_optional_header: int(0),
      characteristics_hex: hex,
      file_header_hashes: { k: 'hashes' },
      optional_header: { k: 'object' },
      sections: { k: 'object-list' },
    },
    required: ['pe_type'],
  },
  'http-request-ext': {
    on: 'network-traffic',
    properties: {
      request_method: str,
      request_value: str,
      request_version: str,
      request_header: dict,
      message_body_length: int(0),
      message_body_data_ref: ref('artifact'),
    },
    required: ['request_method', 'request_value'],
  },
  'icmp-ext': {
    on: 'network-traffic',
    properties: { icmp_type_hex: hex, icmp_code_hex: hex },
    required: ['icmp_type_hex', 'icmp_code_hex'],
  },
  'socket-ext': {
    on: 'network-traffic',
    properties: {
      address_family: enumOf(
        'AF_UNSPEC',
        'AF_INET',
        'AF_IPX',
        'AF_APPLETALK',
        'AF_NETBIOS',
        'AF_INET6',
        'AF_IRDA',
        'AF_BTH',
      ),
      is_blocking: bool,
      is_listening: bool,
      options: dict,
      socket_type: enumOf('SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOCK_RDM', 'SOCK_SEQPACKET'),
      socket_descriptor: int(0),
      socket_handle: int(),
    },
    required: ['address_family'],
  },
  'tcp-ext': { on: 'network-traffic', properties: { src_flags_hex: hex, dst_flags_hex: hex }, required: [] },
  'windows-process-ext': {
    on: 'process',
    properties: {
      aslr_enabled: bool,
      dep_enabled: bool,
      priority: str,
      owner_sid: str,
      window_title: str,
      startup_info: dict,
      integrity_level: enumOf('low', 'medium', 'high', 'system'),
    },
    required: [],
  },
  'windows-service-ext': {
    on: 'process',
    properties: {
      service_name: str,
      descriptions: strList,
      display_name: str,
      group_name: str,
      start_type: enumOf(
        'SERVICE_AUTO_START',
        'SERVICE_BOOT_START',
        'SERVICE_DEMAND_START',
        'SERVICE_DISABLED',
        'SERVICE_SYSTEM_ALERT',
      ),
      service_dll_refs: refs('file'),
      service_type: enumOf(
        'SERVICE_KERNEL_DRIVER',
        'SERVICE_FILE_SYSTEM_DRIVER',
        'SERVICE_WIN32_OWN_PROCESS',
        'SERVICE_WIN32_SHARE_PROCESS',
      ),
      service_status: enumOf(
        'SERVICE_CONTINUE_PENDING',
        'SERVICE_PAUSE_PENDING',
        'SERVICE_PAUSED',
        'SERVICE_RUNNING',
        'SERVICE_START_PENDING',
        'SERVICE_STOP_PENDING',
        'SERVICE_STOPPED',
      ),
    },
    required: [],
  },
  'unix-account-ext': {
    on: 'user-account',
    properties: { gid: int(), groups: strList, home_dir: str, shell: str },
    required: [],
  },
};
